import Foundation
import MQTT
import Simulation
import Synchronization

/// Watches `care/{station}/alerts` and keeps every alert event with its arrival time, the way
/// a nurse's screen would receive them.
final class AlertWatcher: Sendable {
    private struct State {
        var observed: [AlertObservation] = []
        var startNanos: UInt64 = 0
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
                    let offset = now > s.startNanos ? Int64(Double(now - s.startNanos) * s.speed / 1_000_000) : 0
                    if let o = AlertObservation.parse(message.payload, offset: offset, arrivedNanos: now) { s.observed.append(o) }
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

    /// Scenario time 0 is the monotonic `startNanos`; it runs `speed` times faster than real time.
    func begin(startNanos: UInt64, speed: Double) {
        box.state.withLock {
            $0.startNanos = startNanos
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
