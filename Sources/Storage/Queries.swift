import Telemetry

/// A reading as stored, with the time the gateway received it.
public struct StoredReading: Sendable, Equatable {
    public var reading: Reading
    public var receivedAt: Int64
}

/// A quarantined message as stored.
public struct StoredRejection: Sendable, Equatable {
    public var at: Int64
    public var topic: String
    public var kind: String
    public var reason: String
    public var payloadSize: Int
    public var payload: [UInt8]
}

/// Quarantined messages of one topic and kind, counted.
public struct RejectionCount: Sendable, Equatable {
    public var topic: String
    public var kind: String
    public var count: Int
    public var first: Int64
    public var last: Int64
    /// The newest message's reason.
    public var reason: String
}

/// Read-only questions to the database, for `caregate query` and the tests.
public final class StoreReader {
    let db: Database

    /// Opens the database at `path` read-only; it must exist.
    public init(path: String) throws(SQLiteError) {
        db = try Database(path: path, readOnly: true)
    }

    /// Readings of `device` (in any station unless `station` is given) with `from ≤ ts < to`,
    /// ordered by ts then seq; all streams when `stream` is nil.
    public func readings(device: String, station: String? = nil, stream: StreamKind? = nil,
                         from: Int64 = .min, to: Int64 = .max) throws(SQLiteError) -> [StoredReading] {
        var rows: [StoredReading] = []
        for kind in stream.map({ [$0] }) ?? StreamKind.allCases {
            try appendReadings(of: kind, device: device, station: station, from: from, to: to, into: &rows)
        }
        if stream == nil {
            rows.sort { ($0.reading.ts, $0.reading.seq, $0.reading.stream.rawValue) < ($1.reading.ts, $1.reading.seq, $1.reading.stream.rawValue) }
        }
        return rows
    }

    private func appendReadings(of kind: StreamKind, device: String, station: String?, from: Int64, to: Int64,
                                into rows: inout [StoredReading]) throws(SQLiteError) {
        let (table, columns) = Self.layout(kind)
        let s = try db.prepare("""
            SELECT s.station, s.device, r.ts, r.seq, r.resident, r.received, r.notes, \(columns)
            FROM series s JOIN \(table) r ON r.series = s.id
            WHERE s.device = ?1 AND s.stream = ?2 AND (?3 IS NULL OR s.station = ?3) AND r.ts >= ?4 AND r.ts < ?5
            ORDER BY r.ts, r.seq, s.station
            """)
        s.bind(1, device)
        s.bind(2, kind.name)
        s.bind(3, station)
        s.bind(4, from)
        s.bind(5, to)
        while try s.step() {
            let value = Self.value(kind, s, from: 7)
            let reading = Reading(source: DeviceAddress(station: s.string(0) ?? "", device: s.string(1) ?? ""),
                                  ts: s.int64(2), seq: s.int64(3), resident: s.string(4), value: value,
                                  notes: ReadingNotes(stored: s.string(6)))
            rows.append(StoredReading(reading: reading, receivedAt: s.int64(5)))
        }
    }

    /// The stream's values from the columns `layout` names, starting at column `first`.
    static func value(_ kind: StreamKind, _ s: Statement, from first: Int32) -> ReadingValue {
        switch kind {
        case .bp:
            .bloodPressure(BloodPressure(systolic: s.double(first), diastolic: s.double(first + 1), pulse: s.optionalDouble(first + 2)))
        case .glucose:
            .glucose(Glucose(mgdl: s.double(first), context: s.string(first + 1).flatMap(GlucoseContext.init(rawValue:))))
        case .ecg:
            .ecg(ECGChunk(hz: Int(s.int64(first)), lead: s.string(first + 1) ?? "", microvoltsPerLSB: s.double(first + 2),
                          samples: ECGBlob.decode(s.blob(first + 3), codec: s.int64(first + 4))))
        case .sos:
            .sos(EmergencyCall(cause: s.string(first).flatMap(EmergencyCause.init(rawValue:)) ?? .other, cancel: s.int64(first + 1) != 0))
        case .status:
            .status(DeviceStatus(battery: s.optionalDouble(first), rssi: s.optionalDouble(first + 1)))
        }
    }

    static func layout(_ kind: StreamKind) -> (table: String, columns: String) {
        switch kind {
        case .bp: ("bp_readings", "r.systolic, r.diastolic, r.pulse")
        case .glucose: ("glucose_readings", "r.mg_dl, r.context")
        case .ecg: ("ecg_chunks", "r.hz, r.lead, r.uv_per_lsb, r.samples, r.codec")
        case .sos: ("sos_calls", "r.cause, r.cancel")
        case .status: ("status_reports", "r.battery, r.rssi")
        }
    }

    /// Alert events with `at ≥ from`, in the order they were emitted, as their §3 JSON.
    public func alertEvents(from: Int64 = .min) throws(SQLiteError) -> [String] {
        let s = try db.prepare("SELECT json FROM alert_events WHERE at >= ?1 ORDER BY at, alert_id, n")
        s.bind(1, from)
        var events: [String] = []
        while try s.step() { events.append(s.string(0) ?? "") }
        return events
    }

    /// Quarantined messages counted by topic and kind, without reading their payloads.
    public func rejectionCounts() throws(SQLiteError) -> [RejectionCount] {
        let s = try db.prepare("""
            SELECT topic, kind, count(*), min(at), max(at),
                   (SELECT q2.reason FROM quarantine q2 WHERE q2.topic = q.topic AND q2.kind = q.kind
                    ORDER BY q2.arrival DESC LIMIT 1)
            FROM quarantine q GROUP BY topic, kind ORDER BY topic, kind
            """)
        var rows: [RejectionCount] = []
        while try s.step() {
            rows.append(RejectionCount(topic: s.string(0) ?? "", kind: s.string(1) ?? "", count: Int(s.int64(2)),
                                       first: s.int64(3), last: s.int64(4), reason: s.string(5) ?? ""))
        }
        return rows
    }

    /// Quarantined messages in arrival order.
    public func rejections() throws(SQLiteError) -> [StoredRejection] {
        let s = try db.prepare("SELECT at, topic, kind, reason, payload_size, payload FROM quarantine ORDER BY arrival")
        var rows: [StoredRejection] = []
        while try s.step() {
            rows.append(StoredRejection(at: s.int64(0), topic: s.string(1) ?? "", kind: s.string(2) ?? "",
                                        reason: s.string(3) ?? "", payloadSize: Int(s.int64(4)), payload: s.blob(5)))
        }
        return rows
    }
}
