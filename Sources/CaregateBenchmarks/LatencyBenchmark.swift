import Foundation
import Gateway
import MQTT
import Synchronization

/// Alert latency: a device publishes at a steady rate; every reading alternates a device between
/// a hypertensive crisis and a normal reading, so every message makes one alert event. Latency is
/// the time from the device's publish call to the event's arrival at a nurse's subscriber, both in
/// this process on one monotonic clock.
enum LatencyBenchmark {
    final class Arrivals: Sendable {
        let times = Mutex<[Int: UInt64]>([:])
    }

    /// `alertEvery`: 1 makes every message raise or resolve an alert; K makes one message in K do
    /// so, the others normal readings of 2,000 other devices.
    static func run(rate: Int, seconds: Int, alertEvery: Int = 1, tickMicros: Int = 0) throws {
        let n = rate * seconds
        // CAREGATE_LATENCY_BASELINE=1: no gateway; the subscriber takes the devices' own
        // messages, which is what the broker and this process alone cost at this rate.
        let baseline = ProcessInfo.processInfo.environment["CAREGATE_LATENCY_BASELINE"] != nil
        let share = alertEvery == 1 ? "every message" : "1 message in \(alertEvery)"
        print("## latency: \(rate) msg/s for \(seconds) s, \(share) raising or resolving an alert\(tickMicros > 0 ? ", sent in ticks of \(tickMicros) µs" : "")\(baseline ? ", baseline without the gateway" : "") (\(machineDescription()))")
        let dir = NSTemporaryDirectory() + "caregate-latency-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let broker = try LocalBroker(directory: dir + "/broker")
        defer { broker.stop() }
        let gateway = baseline ? nil : try IngestBenchmark.startGateway(broker: broker, db: (ProcessInfo.processInfo.environment["CAREGATE_DB_DIR"] ?? dir) + "/latency-\(getpid()).db", dir: dir)
        defer { gateway.map { ChildProcess.stop($0) } }

        let arrivals = Arrivals()
        let nurse = try MQTTClient(options: ClientOptions(broker: broker.url, clientID: "bench-nurse", cleanSession: true), onMessage: { m in
            let now = nanos()
            // The message index travels as the reading's seq.
            let text = String(decoding: m.payload, as: UTF8.self)
            guard let range = text.range(of: baseline ? "\"seq\":" : "\"reading_seq\":") else { return }
            let digits = text[range.upperBound...].prefix { $0.isNumber }
            guard let index = Int(digits), index % alertEvery == 0 else { return }
            arrivals.times.withLock { $0[index] = now }
        })
        try nurse.subscribe(baseline ? "care/st01/+/bp" : "care/st01/alerts", qos: 1)
        try nurse.start()
        let device = try MQTTClient(options: ClientOptions(broker: broker.url, clientID: "bench-device", cleanSession: true, maxInflightMessages: 0),
                                    onMessage: { _ in })
        try device.start()
        guard device.waitUntilConnected(timeoutSeconds: 10), nurse.waitUntilConnected(timeoutSeconds: 10) else {
            throw BenchmarkError.undelivered
        }
        // The nurse's SUBACK is not observed; give the subscription a moment on loopback.
        usleep(300_000)

        let devices = 200
        let interval = 1_000_000_000 / UInt64(rate)
        var sent = [UInt64](repeating: 0, count: n + 1)
        // Sleep until a message is due, then send every message that is due, never spin: at
        // 20,000 msg/s a message is due every 50 µs, and a spinning publisher would take a whole
        // core from the broker and the gateway. Waking at most every `tick` sends the messages
        // of a tick together, as devices' messages arrive at a station anyway (`tickMicros` 0:
        // a sleep for every message).
        let tick = UInt64(tickMicros) * 1_000
        let start = nanos()
        var awake = start
        for i in 1...n {
            let due = start + UInt64(i) * interval
            if due > awake {
                let wake = max(due, awake + tick)
                var at = timespec(tv_sec: Int(wake / 1_000_000_000), tv_nsec: Int(wake % 1_000_000_000))
                while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, nil) == EINTR {}
                awake = nanos()
            }
            // seq = the message index, increasing per device too.
            let topic: String
            let payload: String
            if i % alertEvery == 0 {
                let j = i / alertEvery
                let crisis = ((j - 1) / devices) % 2 == 0
                topic = "care/st01/bp-\(j % devices)/bp"
                payload = #"{"ts":\#(1_732_262_400_000 + i),"seq":\#(i),"systolic":\#(crisis ? 190 : 120),"diastolic":\#(crisis ? 100 : 80)}"#
            } else {
                topic = "care/st01/quiet-\(i % 2000)/bp"
                payload = #"{"ts":\#(1_732_262_400_000 + i),"seq":\#(i),"systolic":124,"diastolic":78}"#
            }
            sent[i] = nanos()
            try device.publish(topic, payload: Array(payload.utf8), qos: 1)
        }
        let deadline = nanos() + 10_000_000_000
        let expected = n / alertEvery
        while arrivals.times.withLock({ $0.count }) < expected && nanos() < deadline { usleep(10_000) }
        let received = arrivals.times.withLock { $0 }
        var latencies = received.compactMap { (index, at) in index <= n ? Double(at - sent[index]) / 1e6 : nil }
        latencies.sort()
        let cpu = gateway.map { cpuSeconds(pid: $0.processIdentifier) } ?? 0
        let missing = (1...n).filter { $0 % alertEvery == 0 && received[$0] == nil }
        if !missing.isEmpty { print("missing events for messages \(missing.prefix(10))") }
        print("events \(received.count) of \(expected); latency ms: p50 \(format(percentile(latencies, 50), 3)), "
            + "p99 \(format(percentile(latencies, 99), 3)), p99.9 \(format(percentile(latencies, 99.9), 3)), max \(format(latencies.last ?? .nan, 3)); "
            + "gateway CPU \(format(cpu, 2)) s in all")
        if ProcessInfo.processInfo.environment["CAREGATE_LATENCY_DETAIL"] != nil {
            // When the slowest events were sent, ms after the start: periodic spikes name their cause.
            let slow = received.filter { $0.key <= n }.map { ($0.key, Double($0.value - sent[$0.key]) / 1e6) }
                .sorted { $0.1 > $1.1 }.prefix(40)
            for (index, ms) in slow.sorted(by: { $0.0 < $1.0 }) {
                print("  sent at \(format(Double(sent[index] - start) / 1e6, 1)) ms: \(format(ms, 3)) ms")
            }
        }
        device.stop()
        nurse.stop()
    }
}
