import CommandContract
import Foundation
import MQTT
import Simulation
import Synchronization

/// Watches `care/{station}/alerts` and keeps every alert event with its arrival time, the way
/// a nurse's screen would receive them.
final class AlertWatcher: Sendable {
    private struct State {
        var observed: [AlertObservation] = []
        /// The reading ts of each alert's latest event.
        var lastReading: [String: Int64] = [:]
        var startNanos: UInt64 = 0
        var startMillis: Int64 = 0
        var speed = 1.0
        var subscribed = false
        var refused: String?
    }

    private final class Box: Sendable { let state = Mutex(State()) }
    private let box = Box()
    private let client: MQTTClient
    let topic: String

    /// Subscribes and waits until the broker has granted the subscription.
    init(broker: BrokerOptions, station: String) throws {
        let box = self.box
        topic = "care/\(station)/alerts"
        client = try MQTTClient(
            options: broker.client("-alerts"),
            onMessage: { message in
                let now = Monotonic.nanos()
                box.state.withLock { s in
                    let arrival = now > s.startNanos ? Int64(Double(now - s.startNanos) * s.speed / 1_000_000) : 0
                    guard var o = AlertObservation.parse(message.payload, offset: arrival, arrivedNanos: now) else { return }
                    // An event a reading caused happened at that reading's scenario time, however
                    // long the machine took: the window is checked there, the delay as latency.
                    // A resolution by acknowledgement repeats the reading of the event before it.
                    let newReading = o.event != "resolved" || s.lastReading[o.id] != o.readingTs
                    if let ts = o.readingTs { s.lastReading[o.id] = ts }
                    if ["raised", "updated", "resolved"].contains(o.event), newReading, let ts = o.readingTs, ts >= s.startMillis {
                        o.offset = ts - s.startMillis
                        let sent = s.startNanos + UInt64(Double(o.offset) / s.speed * 1e6)
                        o.latencyMillis = now > sent ? Double(now - sent) / 1e6 : 0
                    }
                    s.observed.append(o)
                }
            },
            onConnection: { event in
                switch event {
                case .subscribed: box.state.withLock { $0.subscribed = true }
                case .refused(let reason): box.state.withLock { $0.refused = reason }
                default: break
                }
            })
        try client.subscribe(topic, qos: 1)
        try client.start()
        let deadline = Monotonic.nanos() + 10_000_000_000
        while !box.state.withLock({ $0.subscribed || $0.refused != nil }) && Monotonic.nanos() < deadline { usleep(2000) }
        if let refused = box.state.withLock({ $0.refused }) {
            client.stop()
            throw Failure("caregate-sim: the broker refused the alerts watcher: \(refused)")
        }
        guard box.state.withLock({ $0.subscribed }) else {
            client.stop()
            throw Failure("caregate-sim: cannot subscribe to \(topic) at \(broker.url)")
        }
    }

    /// Scenario time 0 is the monotonic `startNanos` and device time `startMillis`; it runs
    /// `speed` times faster than real time.
    func begin(startNanos: UInt64, startMillis: Int64, speed: Double) {
        box.state.withLock {
            $0.startNanos = startNanos
            $0.startMillis = startMillis
            $0.speed = speed
        }
    }

    var observed: [AlertObservation] { box.state.withLock { $0.observed } }
    var count: Int { box.state.withLock { $0.observed.count } }

    /// The id of the newest alert of `rule` on `device` that has not been acknowledged or
    /// resolved and acknowledged, as far as its events tell.
    func openAlert(rule: String, device: String) -> String? {
        box.state.withLock { s in
            var closed = Set<String>()
            for o in s.observed.reversed() where o.rule == rule && o.device == device {
                if o.event == "acknowledged" { closed.insert(o.id) }
                if !closed.contains(o.id) { return o.id }
            }
            return nil
        }
    }

    /// Acknowledges, as `by`, every alert seen that nobody has: a latched alert left on the
    /// board would take the next run's events as updates. Waits briefly for the answers.
    func acknowledgeAll(by: String, client publisher: MQTTClient) -> Int {
        let ids = box.state.withLock { s -> [String] in
            var done = Set<String>()
            var order: [String] = []
            for o in s.observed {
                // Acknowledged, or resolved without a latch: closed already.
                if o.event == "acknowledged" || (o.event == "resolved" && o.priority != "high") { done.insert(o.id) }
                if !order.contains(o.id) { order.append(o.id) }
            }
            return order.filter { !done.contains($0) }
        }
        for id in ids {
            try? publisher.publish(topic + "/ack", payload: Array(#"{"id":"\#(id)","by":"\#(by)"}"#.utf8), qos: 1)
        }
        _ = publisher.waitUntilDelivered(timeoutSeconds: 5)
        return ids.count
    }

    func stop() { client.stop() }
}
