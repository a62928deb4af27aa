import Telemetry

extension StoreReader {
    /// The newest readings of every series, oldest first within each: at least the last
    /// `count`, and every one within `windowMillis` of the series' newest ts. What the engine
    /// replays to rebuild its per-stream state after a restart. ECG chunks are not included.
    public func recentReadings(count: Int, windowMillis: Int64) throws(SQLiteError) -> [Reading] {
        var readings: [Reading] = []
        // One statement a stream, prepared once and bound again for each series.
        var statements: [StreamKind: Statement] = [:]
        let seriesRows = try db.prepare("SELECT id, station, device, stream FROM series WHERE stream <> 'ecg' ORDER BY id")
        while try seriesRows.step() {
            guard let kind = StreamKind(name: seriesRows.string(3) ?? "") else { continue }
            let source = DeviceAddress(station: seriesRows.string(1) ?? "", device: seriesRows.string(2) ?? "")
            let s: Statement
            if let prepared = statements[kind] {
                s = prepared
                s.reset()
            } else {
                let (table, columns) = Self.layout(kind)
                s = try db.prepare("""
                    SELECT r.ts, r.seq, r.resident, \(columns) FROM \(table) r
                    WHERE r.series = ?1 AND r.ts >= (SELECT max(ts) FROM \(table) WHERE series = ?1) - ?3
                    UNION
                    SELECT * FROM (SELECT r.ts, r.seq, r.resident, \(columns) FROM \(table) r WHERE r.series = ?1
                                   ORDER BY r.ts DESC, r.seq DESC LIMIT ?2)
                    ORDER BY 1, 2
                    """)
                statements[kind] = s
            }
            s.bind(1, seriesRows.int64(0))
            s.bind(2, Int64(count))
            s.bind(3, windowMillis)
            while try s.step() {
                let value = Self.value(kind, s, from: 3)
                readings.append(Reading(source: source, ts: s.int64(0), seq: s.int64(1), resident: s.string(2), value: value))
            }
        }
        return readings
    }

    /// When the gateway last heard each device's stream (gateway time, ms): the silent-device clocks.
    public func lastHeard() throws(SQLiteError) -> [(source: DeviceAddress, stream: StreamKind, at: Int64)] {
        var rows: [(DeviceAddress, StreamKind, Int64)] = []
        var statements: [StreamKind: Statement] = [:]
        let seriesRows = try db.prepare("SELECT id, station, device, stream FROM series ORDER BY id")
        while try seriesRows.step() {
            guard let kind = StreamKind(name: seriesRows.string(3) ?? "") else { continue }
            let s: Statement
            if let prepared = statements[kind] {
                s = prepared
                s.reset()
            } else {
                // The newest row by key, not max(received): a seek, where max would scan years of rows.
                s = try db.prepare("SELECT received FROM \(Self.layout(kind).table) WHERE series = ?1 ORDER BY ts DESC, seq DESC LIMIT 1")
                statements[kind] = s
            }
            s.bind(1, seriesRows.int64(0))
            guard try s.step(), !s.isNull(0) else { continue }
            rows.append((DeviceAddress(station: seriesRows.string(1) ?? "", device: seriesRows.string(2) ?? ""), kind, s.int64(0)))
        }
        return rows
    }
}
