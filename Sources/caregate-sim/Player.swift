import Foundation
import MQTT
import Simulation

/// Sends timed messages at their scenario times, `speed` times faster than real time.
struct Player {
    struct Result {
        var sent = 0
        /// Messages per kind of topic (`bp`, `status`, `gatt/2A35`, `ack`…).
        var byTopic: [String: Int] = [:]
        /// Acknowledgements the scenario asked for that found no open alert.
        var unanswered: [String] = []
        var publishErrors = 0
        var firstError: String?
        var wallSeconds = 0.0
    }

    let client: MQTTClient
    let speed: Double
    let qos: Int32
    var watcher: AlertWatcher?

    /// Plays `messages` (per-message QoS in `qosList` when a trace gives it), drawing progress
    /// up to `total` scenario ms. Returns when the last is handed to the client.
    func play(_ messages: [TimedMessage], qosList: [Int32]? = nil, total: Int64, label: String, startNanos: UInt64) -> Result {
        var result = Result()
        var progress = Progress(total: total, label: label)
        for (i, m) in messages.enumerated() {
            let due = startNanos + UInt64(Double(m.offset) / speed * 1_000_000)
            Monotonic.sleep(until: due)
            let payload: [UInt8]
            switch m.kind {
            case .telemetry:
                payload = m.payload
            case .acknowledge(let rule, let by):
                guard let id = watcher?.openAlert(rule: rule, device: m.device) else {
                    result.unanswered.append("\(SimDuration.text(m.offset)): no open \(rule) alert on \(m.device) to acknowledge")
                    continue
                }
                payload = Array(#"{"id":"\#(id)","by":"\#(by)"}"#.utf8)
            }
            do {
                try client.publish(m.topic, payload: payload, qos: qosList?[i] ?? qos)
                result.sent += 1
                result.byTopic[Self.kind(of: m.topic), default: 0] += 1
            } catch {
                result.publishErrors += 1
                if result.firstError == nil { result.firstError = "\(error)" }
            }
            progress.update(m.offset, "\(SimDuration.text(m.offset)) of \(SimDuration.text(total))  sent \(result.sent)"
                + (watcher.map { "  alerts \($0.count)" } ?? ""))
        }
        progress.update(total, "sent \(result.sent)" + (watcher.map { "  alerts \($0.count)" } ?? ""))
        progress.finish()
        result.wallSeconds = Double(Monotonic.nanos() - startNanos) / 1e9
        return result
    }

    /// The stream part of a topic: what follows `care/{station}/{device}/`.
    static func kind(of topic: String) -> String {
        let parts = topic.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        if parts.count == 4, parts[2] == "alerts" { return "ack" }
        return parts.count == 4 ? String(parts[3]) : topic
    }
}
