import DeviceProfiles
import Telemetry

/// Shared helpers: every test decodes through the public API only.
enum Fixture {
    static let source = DeviceAddress(station: "st01", device: "dev-000001")
    /// A valid `ts` and `seq`, to put in front of the fields under test.
    static let head = #""ts":1732262400123,"seq":17"#

    /// `{"ts":…,"seq":…,<fields>}` (or just the head when `fields` is empty).
    static func payload(_ fields: String) -> String {
        fields.isEmpty ? "{\(head)}" : "{\(head),\(fields)}"
    }

    static func decode(_ stream: StreamKind, _ json: String) -> Result<Reading, Rejection> {
        CanonicalProfile.decode(source: source, stream: stream, payload: Array(json.utf8))
    }

    static func decode(_ stream: StreamKind, bytes: [UInt8]) -> Result<Reading, Rejection> {
        CanonicalProfile.decode(source: source, stream: stream, payload: bytes)
    }

    /// The rejection kind, or nil if the payload decoded.
    static func kind(_ stream: StreamKind, _ json: String) -> RejectionKind? {
        kind(decode(stream, json))
    }

    static func kind<T>(_ result: Result<T, Rejection>) -> RejectionKind? {
        if case .failure(let r) = result { return r.kind }
        return nil
    }

    static func rejection<T>(_ result: Result<T, Rejection>) -> Rejection? {
        if case .failure(let r) = result { return r }
        return nil
    }

    static func value(_ stream: StreamKind, _ json: String) -> ReadingValue? {
        if case .success(let reading) = decode(stream, json) { return reading.value }
        return nil
    }
}

extension ReadingValue {
    var bloodPressure: BloodPressure? { if case .bloodPressure(let v) = self { v } else { nil } }
    var glucose: Glucose? { if case .glucose(let v) = self { v } else { nil } }
    var ecg: ECGChunk? { if case .ecg(let v) = self { v } else { nil } }
    var sos: EmergencyCall? { if case .sos(let v) = self { v } else { nil } }
    var status: DeviceStatus? { if case .status(let v) = self { v } else { nil } }
}

/// Whether two doubles agree to within a relative 1e-9 (unit conversions are not exact).
func close(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): true
    case (let x?, let y?): abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
    default: false
    }
}
