import Foundation
import Gateway
import MQTT
import Storage
import Synchronization
import Telemetry

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
    static func run(rate: Int, seconds: Int, alertEvery: Int = 1, tickMicros: Int = 0, publisher: Publisher = .lean) throws {
        let n = rate * seconds
        // CAREGATE_LATENCY_BASELINE=1: no gateway; the subscriber takes the devices' own
        // messages, which is what the broker and this process alone cost at this rate.
        let baseline = ProcessInfo.processInfo.environment["CAREGATE_LATENCY_BASELINE"] != nil
        let share = alertEvery == 1 ? "every message" : "1 message in \(alertEvery)"
        print("## latency: \(rate) msg/s for \(seconds) s, \(share) raising or resolving an alert\(tickMicros > 0 ? ", sent in ticks of \(tickMicros) µs" : ""), publisher \(publisher)\(baseline ? ", baseline without the gateway" : "") (\(machineDescription()))")
        let dir = NSTemporaryDirectory() + "caregate-latency-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let broker = try LocalBroker(directory: dir + "/broker")
        defer { broker.stop() }
        let db = (ProcessInfo.processInfo.environment["CAREGATE_DB_DIR"] ?? dir) + "/latency-\(getpid()).db"
        if !baseline { try registerDevices(in: db) }
        let gateway = baseline ? nil : try IngestBenchmark.startGateway(broker: broker, db: db, dir: dir)
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
        var device = try DevicePublisher(publisher, broker: broker)
        guard nurse.waitUntilConnected(timeoutSeconds: 10) else { throw BenchmarkError.undelivered }
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
                try device.flush(stamping: &sent)
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
            try device.send(i, topic: topic, payload: payload, stamping: &sent)
        }
        try device.flush(stamping: &sent)
        let deadline = nanos() + 10_000_000_000
        let expected = n / alertEvery
        while arrivals.times.withLock({ $0.count }) < expected && nanos() < deadline { usleep(10_000) }
        let received = arrivals.times.withLock { $0 }
        var latencies = received.compactMap { (index, at) in index <= n ? Double(at - sent[index]) / 1e6 : nil }
        latencies.sort()
        let cpu = gateway.map { cpuSeconds(pid: $0.processIdentifier) } ?? 0
        let harnessCPU = cpuSeconds(pid: getpid())
        let brokerCPU = cpuSeconds(pid: broker.pid)
        let missing = (1...n).filter { $0 % alertEvery == 0 && received[$0] == nil }
        if !missing.isEmpty { print("missing events for messages \(missing.prefix(10))") }
        print("events \(received.count) of \(expected); latency ms: p50 \(format(percentile(latencies, 50), 3)), "
            + "p99 \(format(percentile(latencies, 99), 3)), p99.9 \(format(percentile(latencies, 99.9), 3)), max \(format(latencies.last ?? .nan, 3)); "
            + "CPU s: gateway \(format(cpu, 2)), broker \(format(brokerCPU, 2)), this benchmark \(format(harnessCPU, 2))")
        if ProcessInfo.processInfo.environment["CAREGATE_LATENCY_DETAIL"] != nil {
            // When the slowest events were sent, ms after the start: periodic spikes name their cause.
            // The start on CLOCK_MONOTONIC lines them up with `perf record -k CLOCK_MONOTONIC`.
            print("  (the start: \(format(Double(start) / 1e9, 6)) s on CLOCK_MONOTONIC)")
            let slow = received.filter { $0.key <= n }.map { ($0.key, Double($0.value - sent[$0.key]) / 1e6) }
                .sorted { $0.1 > $1.1 }.prefix(40)
            for (index, ms) in slow.sorted(by: { $0.0 < $1.0 }) {
                print("  sent at \(format(Double(sent[index] - start) / 1e6, 1)) ms: \(format(ms, 3)) ms")
            }
        }
        device.stop()
        nurse.stop()
    }

    /// A station's devices are registered: without a registry, each device's first reading would
    /// raise `device.unregistered`, 2,200 alerts in the first tenth of a second that a station
    /// never sees. The devices alternating between crisis and normal (`bp-N`) and the quiet ones
    /// (`quiet-N`), each assigned to a resident of its own.
    static func registerDevices(in db: String) throws {
        var entries: [RegistryEntry] = []
        let names = (0..<200).map { "bp-\($0)" } + (0..<2000).map { "quiet-\($0)" }
        for name in names {
            entries.append(RegistryEntry(.resident(Resident(id: "r-\(name)", name: "Resident \(name)", station: "st01")), line: 0))
            entries.append(RegistryEntry(.device(RegisteredDevice(address: DeviceAddress(station: "st01", device: name)),
                                                 assignTo: "r-\(name)", from: 1_700_000_000_000), line: 0))
        }
        _ = try RegistryStore(path: db).apply(entries, now: 1_700_000_000_000)
    }

    /// How the benchmark's device publishes.
    enum Publisher: String, CustomStringConvertible {
        /// `LeanPublisher`: one write a tick.
        case lean
        /// A libmosquitto client, one `mosquitto_publish` a message.
        case libmosquitto

        var description: String { rawValue }
    }

    /// The device side of the benchmark, through either publisher; `sent[i]` is stamped when
    /// message `i` leaves the process (for the lean publisher, when its tick is written).
    struct DevicePublisher: ~Copyable {
        private var lean: LeanPublisher?
        private let client: MQTTClient?
        private var waiting: [Int] = []

        init(_ kind: Publisher, broker: LocalBroker) throws {
            switch kind {
            case .lean:
                lean = try LeanPublisher(host: broker.url.host, port: broker.url.port, clientID: "bench-device")
                client = nil
            case .libmosquitto:
                lean = nil
                let c = try MQTTClient(options: ClientOptions(broker: broker.url, clientID: "bench-device", cleanSession: true, maxInflightMessages: 0),
                                       onMessage: { _ in })
                try c.start()
                guard c.waitUntilConnected(timeoutSeconds: 10) else { throw BenchmarkError.undelivered }
                client = c
            }
        }

        mutating func send(_ index: Int, topic: String, payload: String, stamping sent: inout [UInt64]) throws {
            if let client {
                sent[index] = nanos()
                try client.publish(topic, payload: Array(payload.utf8), qos: 1)
            } else {
                lean!.queue(topic: topic, payload: payload.utf8)
                waiting.append(index)
            }
        }

        mutating func flush(stamping sent: inout [UInt64]) throws {
            guard lean != nil else { return }
            let now = nanos()
            for index in waiting { sent[index] = now }
            waiting.removeAll(keepingCapacity: true)
            try lean!.flush()
        }

        func stop() { client?.stop() }
    }
}
