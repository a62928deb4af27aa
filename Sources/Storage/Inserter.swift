import Telemetry

/// The writer's prepared statements and series-id cache. Used on the writer thread only.
final class Inserter {
    private let db: Database
    private let seriesLookup: Statement
    private let seriesInsert: Statement
    private let readings: ReadingRows
    private let beat: Statement
    private let quality: Statement
    private let alert: Statement
    private let alertFromJSON: Statement
    private let quarantine: Statement
    private let boardUpsert: Statement
    private let boardUpsertFromJSON: Statement
    private let boardRemove: Statement
    private let boardRemoveFromJSON: Statement
    private var seriesIDs: [SeriesKey: Int64] = [:]
    /// Series inserted by the open transaction: cached only once it commits, because a rolled-back
    /// row's id would be handed to the next new device.
    private var pendingSeriesIDs: [SeriesKey: Int64] = [:]

    struct SeriesKey: Hashable {
        var source: DeviceAddress
        var stream: StreamKind
    }

    init(_ db: Database) throws(SQLiteError) {
        self.db = db
        seriesLookup = try db.prepare("SELECT id FROM series WHERE station = ?1 AND device = ?2 AND stream = ?3")
        seriesInsert = try db.prepare("INSERT OR IGNORE INTO series (station, device, stream) VALUES (?1, ?2, ?3)")
        readings = try ReadingRows(db)
        beat = try db.prepare("INSERT OR IGNORE INTO ecg_beats VALUES (?1, ?2, ?3, ?4, ?5)")
        quality = try db.prepare("INSERT OR REPLACE INTO ecg_quality VALUES (?1, ?2, ?3)")
        alert = try db.prepare("INSERT OR IGNORE INTO alert_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")
        alertFromJSON = try db.prepare("""
            INSERT OR IGNORE INTO alert_events
            SELECT j ->> '$.id', ?2, j ->> '$.event', j ->> '$.rule', j ->> '$.priority', j ->> '$.station',
                   j ->> '$.device', j ->> '$.stream', j ->> '$.resident', j ->> '$.reading_ts', j ->> '$.reading_seq',
                   j ->> '$.at', j ->> '$.by', j ->> '$.tier', j, ?3
            FROM (SELECT ?1 AS j)
            """)
        boardUpsert = try db.prepare("""
            INSERT INTO open_alerts VALUES (?1, ?2, ?3) ON CONFLICT (alert_id) DO UPDATE SET json = excluded.json
            """)
        boardUpsertFromJSON = try db.prepare("""
            INSERT INTO open_alerts SELECT j ->> '$.id', j ->> '$.at', j FROM (SELECT ?1 AS j) WHERE true
            ON CONFLICT (alert_id) DO UPDATE SET json = excluded.json
            """)
        boardRemove = try db.prepare("DELETE FROM open_alerts WHERE alert_id = ?1")
        boardRemoveFromJSON = try db.prepare("DELETE FROM open_alerts WHERE alert_id = ?1 ->> '$.id'")
        quarantine = try db.prepare("INSERT OR IGNORE INTO quarantine VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
    }

    /// Readings of the batch being inserted, as table, series id and position packed into one
    /// word (`insert(batch:)`); kept between batches for its capacity.
    private var readingOrder: [UInt64] = []

    /// Inserts a writer's batch: the readings grouped by table and series, in arrival order
    /// within each series, and everything else in arrival order.
    ///
    /// A reading's row goes into its series' key range, so readings in arrival order touch a
    /// different B-tree leaf nearly every row (a station interleaves its devices); grouped,
    /// consecutive inserts land on the same leaf: SQLite's time a row with 1,000 series goes
    /// from 3.3 to 2.9 µs (BENCHMARKS.md, sqlite). Grouped by table too, a table's readings go
    /// `ReadingRows.perStatement` to a statement: 2.1 µs. The tables are independent, and within
    /// a series the order is kept, so the first of two duplicates is still the one stored.
    ///
    /// Items are read in place in the writer's queue (a generic collection of them cost the
    /// writer a copy of every item, its references retained and released, for each look).
    func insert(batch: [QueuedItem]) throws(SQLiteError) {
        readingOrder.removeAll(keepingCapacity: true)
        let grouped = batch.count <= Self.maxPosition
        for position in batch.indices {
            guard grouped, case .reading(let reading, _) = batch[position].item else {
                try insert(batch[position].item)
                continue
            }
            let id = try series(reading.source, reading.stream)
            guard id >= 0 && id <= Self.maxSeriesID else {
                try insert(batch[position].item)
                continue
            }
            let table = UInt64(reading.stream.rawValue)
            readingOrder.append(table << Self.tableShift | UInt64(id) << Self.positionBits | UInt64(position))
        }
        readingOrder.sort()
        var start = 0
        while start < readingOrder.count {
            let table = readingOrder[start] >> Self.tableShift
            var end = start + 1
            while end < readingOrder.count && readingOrder[end] >> Self.tableShift == table { end += 1 }
            try readings.insert(StreamKind(rawValue: UInt8(table))!, count: end - start) { i in
                let key = readingOrder[start + i]
                guard case .reading(let reading, let receivedAt) = batch[Int(key & Self.maxPosition64)].item else {
                    preconditionFailure("a reading's key points at another item")
                }
                return (reading, series: Int64((key & Self.seriesMask) >> Self.positionBits), receivedAt: receivedAt)
            }
            start = end
        }
    }

    /// A key is the table (the stream kind) in the top 3 bits, the series id in the next 37 and the position in the low 24.
    private static let tableShift: UInt64 = 61
    private static let positionBits: UInt64 = 24
    private static let maxPosition = (1 << 24) - 1
    private static let maxPosition64 = UInt64(maxPosition)
    private static let maxSeriesID = (Int64(1) << 37) - 1
    private static let seriesMask = (UInt64(1) << tableShift) - 1

    func insert(_ item: StoreItem) throws(SQLiteError) {
        switch item {
        case .reading(let reading, let receivedAt):
            try readings.insert(reading, series: try series(reading.source, reading.stream), receivedAt: receivedAt)
        case .rejected(let message): try insert(message)
        case .alert(let event, let json, let cause):
            try insert(event, json: json, cause: cause)
        case .alertEvent(let json, let number, let cause, let closes):
            try insertAlertEvent(json: json, number: number, cause: cause, closes: closes)
        case .beats(let source, let resident, let beats):
            let seriesID = try series(source, .ecg)
            for b in beats {
                beat.reset()
                beat.bind(1, seriesID)
                beat.bind(2, b.ts)
                beat.bind(3, resident)
                beat.bind(4, b.rrMillis)
                beat.bind(5, b.heartRate)
                try beat.step()
            }
        case .signalQuality(let source, let ts, let q):
            quality.reset()
            quality.bind(1, try series(source, .ecg))
            quality.bind(2, ts)
            quality.bind(3, q)
            try quality.step()
        }
    }

    private func series(_ source: DeviceAddress, _ stream: StreamKind) throws(SQLiteError) -> Int64 {
        let key = SeriesKey(source: source, stream: stream)
        if let id = seriesIDs[key] ?? pendingSeriesIDs[key] { return id }
        for statement in [seriesInsert, seriesLookup] {
            statement.reset()
            statement.bind(1, source.station)
            statement.bind(2, source.device)
            statement.bind(3, stream.name)
        }
        try seriesInsert.step()
        guard try seriesLookup.step() else {
            throw SQLiteError(code: 1, message: "series row missing after insert", operation: "register series \(source)")
        }
        let id = seriesLookup.int64(0)
        seriesLookup.reset()
        pendingSeriesIDs[key] = id
        return id
    }

    /// The transaction committed: its new series ids are now safe to remember.
    func committed() {
        seriesIDs.merge(pendingSeriesIDs) { _, new in new }
        pendingSeriesIDs.removeAll(keepingCapacity: true)
    }

    /// The transaction rolled back: forget the ids it made.
    func rolledBack() {
        pendingSeriesIDs.removeAll(keepingCapacity: true)
    }

    private func insert(_ m: QuarantinedMessage) throws(SQLiteError) {
        let s = quarantine
        s.reset()
        s.bind(1, m.arrival)
        s.bind(2, m.at)
        s.bind(3, m.topic)
        s.bind(4, m.kind)
        s.bind(5, m.reason)
        m.payload.withUnsafeBytes { s.bind(6, blob: $0) }
        s.bind(7, Int64(m.payloadSize))
        try s.step()
    }

    /// The event's columns bound from its fields, as SQLite would read them from its JSON
    /// (`insertAlertEvent`): 10.4–10.9 µs an event through the writer against 18.9–20.0 µs for
    /// fifteen `->>`s (BENCHMARKS.md, sqlite).
    private func insert(_ event: AlertEvent, json: String, cause: AlertCause) throws(SQLiteError) {
        let s = alert
        s.reset()
        s.bind(1, event.alertID)
        s.bind(2, Int64(event.number))
        s.bind(3, event.kind.rawValue)
        s.bind(4, event.rule)
        s.bind(5, event.priority.name)
        s.bind(6, event.source.station)
        s.bind(7, event.source.device)
        s.bind(8, event.stream.name)
        s.bind(9, event.resident)
        s.bind(10, event.readingTS)
        s.bind(11, event.readingSeq)
        s.bind(12, event.at)
        s.bind(13, event.by)
        s.bind(14, event.tier.map(Int64.init))
        s.bind(15, json)
        s.bind(16, cause.name)
        try s.step()
        if event.closes {
            boardRemove.reset()
            boardRemove.bind(1, event.alertID)
            try boardRemove.step()
        } else {
            boardUpsert.reset()
            boardUpsert.bind(1, event.alertID)
            boardUpsert.bind(2, event.at)
            boardUpsert.bind(3, json)
            try boardUpsert.step()
        }
    }

    private func insertAlertEvent(json: String, number: Int, cause: AlertCause, closes: Bool) throws(SQLiteError) {
        alertFromJSON.reset()
        alertFromJSON.bind(1, json)
        alertFromJSON.bind(2, Int64(number))
        alertFromJSON.bind(3, cause.name)
        try alertFromJSON.step()
        if closes {
            boardRemoveFromJSON.reset()
            boardRemoveFromJSON.bind(1, json)
            try boardRemoveFromJSON.step()
        } else {
            boardUpsertFromJSON.reset()
            boardUpsertFromJSON.bind(1, json)
            try boardUpsertFromJSON.step()
        }
    }
}
