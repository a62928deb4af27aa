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

    /// Appends the body: `arrival i64 | topic len u16 | topic | payload len u32 | payload |
    /// (number u32 | cause u8 | closes u8 | len u32 | json)*`.
    static func write(arrival: Int64, topic: String, payload: UnsafeRawBufferPointer, alerts: [AlertEvent],
                      cause: AlertCause, alertJSON: [[UInt8]], into buffer: inout [UInt8]) {
        append(UInt64(bitPattern: arrival), bytes: 8, to: &buffer)
        append(UInt64(topic.utf8.count), bytes: 2, to: &buffer)
        buffer.append(contentsOf: topic.utf8)
        append(UInt64(payload.count), bytes: 4, to: &buffer)
        buffer.append(contentsOf: payload)
        for (event, json) in zip(alerts, alertJSON) {
            append(UInt64(event.number), bytes: 4, to: &buffer)
            append(UInt64(cause.rawValue), bytes: 1, to: &buffer)
            append(event.closes ? 1 : 0, bytes: 1, to: &buffer)
            append(UInt64(json.count), bytes: 4, to: &buffer)
            buffer.append(contentsOf: json)
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

    private static func append(_ value: UInt64, bytes: Int, to buffer: inout [UInt8]) {
        for i in 0..<bytes { buffer.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }
}
