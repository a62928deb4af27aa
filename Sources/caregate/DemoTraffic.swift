import CommandContract
import Foundation
import Gateway
import MQTT
import Synchronization
import Telemetry

/// Publishes the demo station's traffic, one second of it every second, on a thread of its own.
final class DemoTraffic: Sendable {
    private let client: MQTTClient
    private let demo: Mutex<DemoStation>
    private let running = Atomic<Bool>(true)
    private let sentCount = Atomic<Int>(0)

    var sent: Int { sentCount.load(ordering: .relaxed) }

    init(broker: BrokerURL, demo: DemoStation) throws {
        client = try MQTTClient(options: ClientOptions(broker: broker, clientID: "caregate-demo-station", cleanSession: true),
                                onMessage: { _ in })
        self.demo = Mutex(demo)
        try client.start()
        guard client.waitUntilConnected(timeoutSeconds: 10) else {
            throw Failure("caregate demo: the simulated station could not connect to \(broker)")
        }
    }

    func start() {
        let thread = Thread { [self] in
            while running.load(ordering: .relaxed) {
                let now = SystemClock().nowMillis()
                let messages = demo.withLock { $0.nextSecond(now: now) }
                for message in messages {
                    try? client.publish(message.topic, payload: message.payload, qos: 1)
                    sentCount.add(1, ordering: .relaxed)
                }
                Thread.sleep(forTimeInterval: 1)
            }
        }
        thread.start()
    }

    func stop() {
        running.store(false, ordering: .relaxed)
        client.stop()
    }
}

/// Prints every alert event on the station's alerts topic, the way a nurse's screen would list them.
final class AlertView: Sendable {
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    private let client: MQTTClient
    private let count = Counter()

    var received: Int { count.value.load(ordering: .relaxed) }

    init(broker: BrokerURL, station: String, names: DemoStation) throws {
        let count = self.count
        client = try MQTTClient(
            options: ClientOptions(broker: broker, clientID: "caregate-demo-view", cleanSession: true),
            onMessage: { message in
                count.value.add(1, ordering: .relaxed)
                let data = Data(bytes: message.payload.baseAddress!, count: message.payload.count)
                guard let event = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
                print(AlertView.line(event, names: names))
            })
        try client.subscribe("care/\(station)/alerts", qos: 1)
        try client.start()
        guard client.waitUntilConnected(timeoutSeconds: 10) else {
            throw Failure("caregate demo: the alert view could not connect to \(broker)")
        }
    }

    func stop() { client.stop() }

    static func line(_ e: [String: Any], names: DemoStation) -> String {
        let device = e["device"] as? String ?? "?"
        let who = names.residentName(device: device) ?? (e["resident"] as? String) ?? "unassigned"
        let value = (e["value"] as? [String: Any]).map { v in
            v.keys.sorted().compactMap { k -> String? in
                if v[k] is NSNull { return nil }
                if k == "cancel" { return (v[k] as? Bool) == true ? "cancelled by the resident" : nil }
                return "\(k) \(v[k]!)"
            }.joined(separator: ", ")
        } ?? ""
        let time = TimeFormat.iso((e["at"] as? NSNumber)?.int64Value ?? 0).suffix(12)
        let event = (e["event"] as? String ?? "").uppercased()
        let priority = e["priority"] as? String ?? ""
        let mark = priority == "high" ? "***" : priority == "medium" ? "** " : "*  "
        return "\(time) \(mark) \(pad(event, 9)) \(pad(e["rule"] as? String ?? "", 20)) \(pad(who, 22)) \(pad(device, 9)) \(value)"
    }
}
