import Telemetry

/// A detected beat as queried: where it came from and whose it is.
public struct StoredBeat: Sendable, Equatable {
    public var source: DeviceAddress
    public var resident: String?
    public var beat: DetectedBeat
}

extension StoreReader {
    /// The beats detected in a device's ECG, in time order, `from` inclusive and `to` exclusive.
    public func beats(device: String, station: String? = nil, from: Int64 = .min, to: Int64 = .max) throws(SQLiteError) -> [StoredBeat] {
        let s = try derived("ecg_beats", columns: "d.resident, d.rr_ms, d.hr", device: device, station: station, from: from, to: to)
        var rows: [StoredBeat] = []
        while try s.step() {
            rows.append(StoredBeat(source: DeviceAddress(station: s.string(0) ?? "", device: s.string(1) ?? ""), resident: s.string(3),
                                   beat: DetectedBeat(ts: s.int64(2), rrMillis: s.isNull(4) ? nil : s.int64(4), heartRate: s.optionalDouble(5))))
        }
        return rows
    }

    /// The ECG's signal quality where it changed, in time order.
    public func signalQuality(device: String, station: String? = nil, from: Int64 = .min, to: Int64 = .max) throws(SQLiteError)
        -> [(source: DeviceAddress, ts: Int64, quality: String)]
    {
        let s = try derived("ecg_quality", columns: "d.quality", device: device, station: station, from: from, to: to)
        var rows: [(source: DeviceAddress, ts: Int64, quality: String)] = []
        while try s.step() {
            rows.append((DeviceAddress(station: s.string(0) ?? "", device: s.string(1) ?? ""), s.int64(2), s.string(3) ?? ""))
        }
        return rows
    }

    /// Rows of a table derived from a device's ECG: station, device, ts, then `columns`.
    private func derived(_ table: String, columns: String, device: String, station: String?, from: Int64, to: Int64) throws(SQLiteError) -> Statement {
        let s = try db.prepare("""
            SELECT s.station, s.device, d.ts, \(columns)
            FROM series s JOIN \(table) d ON d.series = s.id
            WHERE s.device = ?1 AND s.stream = 'ecg' AND (?2 IS NULL OR s.station = ?2) AND d.ts >= ?3 AND d.ts < ?4
            ORDER BY d.ts, s.station
            """)
        s.bind(1, device)
        s.bind(2, station)
        s.bind(3, from)
        s.bind(4, to)
        return s
    }
}
