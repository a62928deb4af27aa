import CommandContract
import Foundation
import MQTT
import Synchronization

/// Send and arrival times of the load's probes, matched by device and seq.
final class ProbeBook: Sendable {
    let expected: Int
    private let times = Mutex<(sent: [Int64: UInt64], latencies: [Double])>(([:], []))
    private let arrivedCount = Atomic<Int>(0)

    init(expected: Int) { self.expected = expected }

    var arrived: Int { arrivedCount.load(ordering: .relaxed) }

    func sent(key: Int64, at nanos: UInt64) {
        times.withLock { $0.sent[key] = nanos }
    }

    /// An event for probe `key` arrived at `nanos`; only its first event counts.
    func arrived(key: Int64, at nanos: UInt64) {
        let counted = times.withLock { t -> Bool in
            guard let sent = t.sent.removeValue(forKey: key) else { return false }
            t.latencies.append(Double(nanos &- sent) / 1e6)
            return true
        }
        if counted { arrivedCount.add(1, ordering: .relaxed) }
    }

    /// Latency percentiles in ms.
    func report() -> (count: Int, text: String) {
        let sorted = times.withLock { $0.latencies }.sorted()
        func p(_ q: Double) -> String {
            guard !sorted.isEmpty else { return "-" }
            return String(format: "%.3f", sorted[min(sorted.count - 1, Int((q / 100 * Double(sorted.count)).rounded(.up)) - 1)])
        }
        return (sorted.count, "p50 \(p(50)), p99 \(p(99)), p99.9 \(p(99.9)), max \(p(100))")
    }
}

/// Watches the alerts topic (or, with echo, the probes' own topic) and stamps each probe's event.
final class ProbeWatcher: Sendable {
    private let client: MQTTClient

    init(broker: BrokerOptions, topic: String, probes: ProbeBook, echo: Bool) throws {
        let subscribed = Atomic<Bool>(false)
        client = try MQTTClient(options: broker.client("-probes"), onMessage: { m in
            let now = Monotonic.nanos()
            guard let key = echo ? Self.echoKey(m) : Self.alertKey(m.payload) else { return }
            probes.arrived(key: key, at: now)
        }, onConnection: { event in
            if case .subscribed = event { subscribed.store(true, ordering: .relaxed) }
        })
        try client.subscribe(topic, qos: 1)
        try client.start()
        let deadline = Monotonic.nanos() + 10_000_000_000
        while !subscribed.load(ordering: .relaxed) && Monotonic.nanos() < deadline { usleep(2000) }
        guard subscribed.load(ordering: .relaxed) else {
            client.stop()
            throw Failure("caregate-sim: cannot subscribe to \(topic) at \(broker.url)")
        }
    }

    func stop() { client.stop() }

    /// `"device":"probe-N"` and `"reading_seq":S` of a bp.crisis event, without a JSON parser.
    static func alertKey(_ payload: UnsafeRawBufferPointer) -> Int64? {
        guard find(payload, "\"rule\":\"bp.") != nil,
              let device = number(payload, after: "\"device\":\"probe-"),
              let seq = number(payload, after: "\"reading_seq\":") else { return nil }
        return device << 40 | seq
    }

    /// A probe's own message: the device from the topic, its `"seq":S`.
    static func echoKey(_ m: InboundMessage) -> Int64? {
        let topic = UnsafeRawBufferPointer(start: m.topic, count: strlen(m.topic))
        guard let device = number(topic, after: "/probe-"), let seq = number(m.payload, after: "\"seq\":") else { return nil }
        return device << 40 | seq
    }

    private static func find(_ bytes: UnsafeRawBufferPointer, _ needle: String) -> Int? {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count else { return nil }
        var i = 0
        while i <= bytes.count - n.count {
            if bytes[i] == n[0] {
                var k = 1
                while k < n.count && bytes[i + k] == n[k] { k += 1 }
                if k == n.count { return i + n.count }
            }
            i += 1
        }
        return nil
    }

    private static func number(_ bytes: UnsafeRawBufferPointer, after needle: String) -> Int64? {
        guard var i = find(bytes, needle) else { return nil }
        var value: Int64 = 0
        var digits = 0
        while i < bytes.count, (0x30...0x39).contains(bytes[i]) {
            value = value * 10 + Int64(bytes[i] - 0x30)
            i += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
