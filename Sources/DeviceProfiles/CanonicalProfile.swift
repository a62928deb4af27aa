import Telemetry

/// The default device profile `caregate-json/1` (PROTOCOL.md §1): one UTF-8 JSON object
/// per message on `care/{station}/{device}/{stream}`, decoded by a strict one-pass byte
/// scanner into a `Reading` in stored units (mmHg, mg/dL), or refused with a `Rejection`.
///
/// Pure and allocation-light: no Foundation, no intermediate tree; member names are
/// compared as bytes and only the strings a reading keeps become Strings.
public enum CanonicalProfile {
    /// The profile's name, as configured and reported.
    public static let name = "caregate-json/1"
    /// The largest payload accepted, in bytes.
    public static let maxPayloadBytes = 65_536

    /// Decodes a payload received on `source`'s `stream` topic.
    public static func decode(source: DeviceAddress, stream: StreamKind, payload: UnsafeRawBufferPointer)
        -> Result<Reading, Rejection>
    {
        guard payload.count <= maxPayloadBytes else { return .failure(tooLarge) }
        var capture = CapturedObject()
        var samples: [Int16] = []
        if let fault = capture.capture(payload, schema: CanonicalSchema(stream: stream), samples: &samples) {
            return .failure(fault)
        }
        let captured = capture  // immutable from here: read in place, never copied again
        return Result { () throws(Rejection) -> Reading in
            let (ts, seq) = try timeAndSequence(captured)
            let resident = try captured.text(Slot.resident, "resident", lengths: 1...64)
            let value = try streamValue(stream, captured, samples)
            return Reading(source: source, ts: ts, seq: seq, resident: resident, value: value)
        }
    }

    /// Decodes a payload held in an array (convenience for tests and tools).
    public static func decode(source: DeviceAddress, stream: StreamKind, payload: [UInt8])
        -> Result<Reading, Rejection>
    {
        payload.withUnsafeBytes { decode(source: source, stream: stream, payload: $0) }
    }

    /// Checks the topic, then decodes the payload as a reading or an acknowledgement.
    public static func decode(topic: String, payload: UnsafeRawBufferPointer) -> Result<CanonicalMessage, Rejection> {
        switch CareTopic.parse(topic) {
        case .failure(let r):
            return .failure(r)
        case .success(.reading(let source, let stream)):
            return decode(source: source, stream: stream, payload: payload).map { .reading($0) }
        case .success(.acknowledgement(let station)):
            return Acknowledgement.decode(payload: payload).map { .acknowledgement(station: station, $0) }
        case .success(.senml), .success(.gatt), .success(.polarPMD):
            return .failure(Rejection(.unknownStream, "the topic is another profile's, not \(name)'s"))
        }
    }

    /// Decodes a topic and a payload held in an array (convenience for tests and tools).
    public static func decode(topic: String, payload: [UInt8]) -> Result<CanonicalMessage, Rejection> {
        payload.withUnsafeBytes { decode(topic: topic, payload: $0) }
    }

    static let tooLarge = Rejection(.tooLarge, "the payload must be at most 65,536 bytes")

    /// The earliest and the end (exclusive) of accepted measurement times: 2000-01-01 to 2100-01-01 UTC.
    static let tsRange: Range<Int64> = 946_684_800_000..<4_102_444_800_000
    /// The largest sequence number: 2^53, the largest every JSON reader holds exactly.
    static let maxSeq: Int64 = 1 << 53

    private static func timeAndSequence(_ c: CapturedObject) throws(Rejection) -> (ts: Int64, seq: Int64) {
        let ts = try c.requiredInteger(
            Slot.ts, "ts", range: tsRange.lowerBound...(tsRange.upperBound - 1),
            rule: "ts must be ms since the Unix epoch between the years 2000 and 2100; "
                + "the device clock may be unset or not in milliseconds")
        let seq = try c.requiredInteger(Slot.seq, "seq", range: 1...maxSeq, rule: "seq must be from 1 to 2^53")
        return (ts, seq)
    }
}

/// A message on a `caregate-json/1` topic: a device's reading, or an alert acknowledgement
/// from `care/{station}/alerts/ack`.
public enum CanonicalMessage: Sendable, Equatable {
    case reading(Reading)
    case acknowledgement(station: String, Acknowledgement)
}
