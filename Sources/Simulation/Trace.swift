import Foundation

/// A recorded trace: JSON Lines, a header then one message a line with its time.
///
///     {"caregate_trace":1,"recorded_at":1764000000000}
///     {"t":0,"topic":"care/st01/bp-0001/bp","qos":1,"payload":"{\"ts\":...}"}
///     {"t":1250,"topic":"care/st01/cuff-7/gatt/2A35","qos":1,"payload_hex":"068a00..."}
///
/// `t` is ms after the first message; a payload that is not UTF-8 text is kept as hex.
public enum Trace {
    /// The header line for a trace recorded from `recordedAt` (ms since the epoch).
    public static func header(recordedAt: Int64) -> String {
        #"{"caregate_trace":1,"recorded_at":\#(recordedAt)}"#
    }

    /// One line for a message.
    public static func line(offset: Int64, topic: String, qos: Int32, payload: UnsafeRawBufferPointer) -> String {
        var o: [String: Any] = ["t": offset, "topic": topic, "qos": Int(qos)]
        if let text = String(validating: payload, as: UTF8.self), !text.contains("\0") {
            o["payload"] = text
        } else {
            o["payload_hex"] = payload.map { String(format: "%02x", $0) }.joined()
        }
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The messages of a trace file and when it was recorded (ms since the epoch, if it says).
    public static func load(_ path: String) throws(ScenarioError) -> (messages: [TimedMessage], qos: [Int32], recordedAt: Int64?) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ScenarioError(file: path, line: 0, "cannot read the trace") }
        var messages: [TimedMessage] = []
        var qos: [Int32] = []
        var recordedAt: Int64?
        var number = 0
        var last: Int64 = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if line.isEmpty { continue }
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ScenarioError(file: path, line: number, "not a JSON object")
            }
            if let version = o["caregate_trace"] {
                guard (version as? NSNumber)?.intValue == 1 else { throw ScenarioError(file: path, line: number, "trace version \(version) is not 1") }
                recordedAt = (o["recorded_at"] as? NSNumber)?.int64Value
                continue
            }
            guard let t = (o["t"] as? NSNumber)?.int64Value, t >= 0 else {
                throw ScenarioError(file: path, line: number, "t: expected ms after the first message, 0 or more")
            }
            guard t >= last else { throw ScenarioError(file: path, line: number, "t \(t) is before the line above (\(last)): a trace is in time order") }
            last = t
            guard let topic = o["topic"] as? String, !topic.isEmpty else { throw ScenarioError(file: path, line: number, "missing topic") }
            let q = (o["qos"] as? NSNumber)?.int32Value ?? 1
            guard q == 0 || q == 1 || q == 2 else { throw ScenarioError(file: path, line: number, "qos: expected 0, 1 or 2") }
            let payload: [UInt8]
            if let text = o["payload"] as? String {
                payload = Array(text.utf8)
            } else if let hex = o["payload_hex"] as? String {
                guard let bytes = Self.bytes(hex: hex) else { throw ScenarioError(file: path, line: number, "payload_hex: expected pairs of hex digits") }
                payload = bytes
            } else {
                throw ScenarioError(file: path, line: number, "missing payload (or payload_hex)")
            }
            messages.append(TimedMessage(offset: t, topic: topic, payload: payload, device: Self.device(topic)))
            qos.append(q)
        }
        guard !messages.isEmpty else { throw ScenarioError(file: path, line: 0, "the trace holds no messages") }
        return (messages, qos, recordedAt)
    }

    /// The device part of a `care/{station}/{device}/...` topic.
    static func device(_ topic: String) -> String {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[2]) : ""
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = nibble(digits[i]), let lo = nibble(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    /// `payload` with the `"ts":N` fields of a JSON payload moved by `shift` ms, so that a
    /// replayed trace is new traffic to the gateway rather than duplicates of what it stored.
    public static func retime(_ payload: [UInt8], by shift: Int64) -> [UInt8] {
        let key = Array(#""ts":"#.utf8)
        guard shift != 0, payload.first == UInt8(ascii: "{") || payload.first == UInt8(ascii: "[") else { return payload }
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 4)
        var i = 0
        while i < payload.count {
            if payload[i] == key[0], i + key.count <= payload.count, Array(payload[i..<(i + key.count)]) == key {
                out += key
                i += key.count
                var j = i
                while j < payload.count, (0x30...0x39).contains(payload[j]) { j += 1 }
                if j > i, let ts = Int64(String(decoding: payload[i..<j], as: UTF8.self)) {
                    out += Array(String(ts + shift).utf8)
                    i = j
                }
                continue
            }
            out.append(payload[i])
            i += 1
        }
        return out
    }
}
