import Storage
import Telemetry

/// What the pipeline writes to the spool for one message: its arrival time, topic and raw
/// payload, and the alert events it caused. Enough to store the message again after a crash
/// exactly as it would have been stored (decoding is deterministic). Events a timer caused are
/// written with an empty topic: there is no message to store.
struct SpoolRecord: Equatable {
    struct Alert: Equatable {
        var number: Int
        var cause: AlertCause
        var closes: Bool
        var json: [UInt8]
    }

    var arrival: Int64
    var topic: String
    var payload: [UInt8]
    var alerts: [Alert]

    /// The size of the body `write` writes.
    static func size(topic: String, payloadBytes: Int, alertJSON: [[UInt8]]) -> Int {
        alertJSON.reduce(8 + 2 + topic.utf8.count + 4 + payloadBytes) { $0 + 10 + $1.count }
    }

    /// Writes the body into `body`, which is exactly `size(...)` bytes: `arrival i64 | topic len
    /// u16 | topic | payload len u32 | payload | (number u32 | cause u8 | closes u8 | len u32 | json)*`.
    static func write(arrival: Int64, topic: String, payload: UnsafeRawBufferPointer, alerts: [AlertEvent],
                      cause: AlertCause, alertJSON: [[UInt8]], into body: UnsafeMutableRawBufferPointer) {
        var out = BodyWriter(body)
        out.put(UInt64(bitPattern: arrival))
        var topic = topic
        topic.withUTF8 { utf8 in
            out.put(UInt16(utf8.count))
            out.put(UnsafeRawBufferPointer(utf8))
        }
        out.put(UInt32(payload.count))
        out.put(payload)
        for (event, json) in zip(alerts, alertJSON) {
            out.put(UInt32(event.number))
            out.put(cause.rawValue)
            out.put(UInt8(event.closes ? 1 : 0))
            out.put(UInt32(json.count))
            json.withUnsafeBytes { out.put($0) }
        }
        assert(out.at == body.count, "the spool record's size and its body disagree")
    }

    /// Little-endian fields into a buffer sized beforehand.
    private struct BodyWriter {
        let body: UnsafeMutableRawBufferPointer
        var at = 0

        init(_ body: UnsafeMutableRawBufferPointer) { self.body = body }

        mutating func put<T: FixedWidthInteger>(_ value: T) {
            body.storeBytes(of: value.littleEndian, toByteOffset: at, as: T.self)
            at += MemoryLayout<T>.size
        }

        mutating func put(_ bytes: UnsafeRawBufferPointer) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            body.baseAddress!.advanced(by: at).copyMemory(from: source, byteCount: bytes.count)
            at += bytes.count
        }
    }

    /// Reads a body back; nil when it is not one (a record from another version, or damage).
    init?(_ body: [UInt8]) {
        var at = 0
        func take(_ n: Int) -> UInt64? {
            guard at + n <= body.count else { return nil }
            defer { at += n }
            return (0..<n).reduce(UInt64(0)) { $0 | UInt64(body[at + $1]) << (8 * $1) }
        }
        func bytes(_ n: Int) -> [UInt8]? {
            guard at + n <= body.count else { return nil }
            defer { at += n }
            return Array(body[at..<(at + n)])
        }
        guard let arrival = take(8), let topicLength = take(2), let topic = bytes(Int(topicLength)),
              let payloadLength = take(4), let payload = bytes(Int(payloadLength)) else { return nil }
        self.arrival = Int64(bitPattern: arrival)
        self.topic = String(decoding: topic, as: UTF8.self)
        self.payload = payload
        alerts = []
        while at < body.count {
            guard let number = take(4), let causeByte = take(1), let cause = AlertCause(rawValue: UInt8(causeByte)),
                  let closes = take(1), let length = take(4), let json = bytes(Int(length)) else { return nil }
            alerts.append(Alert(number: Int(number), cause: cause, closes: closes != 0, json: json))
        }
    }
}
