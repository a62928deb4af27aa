import ArgumentParser
import CommandContract
import Foundation
import MQTT
import Simulation
import Synchronization
import Telemetry

/// `caregate-sim load`: many devices at a fixed rate, the alert latency measured on the alerts topic.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "N devices at R messages a second for T seconds with a stream mix; reports sent and acknowledged, alert latency p50/p99/p99.9/max, and loss.",
        discussion: """
        One message in --alert-every is a probe: a blood pressure reading on a probe device that \
        alternates between a crisis and a normal value, so the gateway answers each probe with an \
        alert event carrying its seq. Latency is from the probe's publish call to that event's arrival, \
        on this process's monotonic clock; a probe whose event never came is lost. With --echo the \
        probes are watched on their own telemetry topic instead (no gateway needed): what the broker \
        and this tool alone add.
        """)

    @Option(help: "Simulated devices.")
    var devices = 1000

    @Option(help: "Messages a second, all devices together.")
    var rate = 10_000

    @Option(help: "How long to send, e.g. 10s or 2m.")
    var duration = "10s"

    @Option(help: "Stream mix: STREAM=WEIGHT,... of bp, glucose, ecg, status, sos.")
    var mix = "bp=4,glucose=3,status=3"

    @Option(help: "The station the devices belong to.")
    var station = "load"

    @Option(name: .customLong("alert-every"), help: "One message in this many is a latency probe; 0 for none.")
    var alertEvery = 100

    @Option(name: .customLong("ecg-samples"), help: "Samples in an ECG message (at 250 Hz).")
    var ecgSamples = 25

    @Option(help: "Seed of the values.")
    var seed: UInt64 = 1

    @Flag(help: "Measure probes on their own topic, without a gateway: the broker and this tool alone.")
    var echo = false

    @OptionGroup var broker: BrokerOptions

    func run() throws {
        guard let seconds = SimDuration.parse(duration).map({ Double($0) / 1000 }), seconds > 0 else {
            throw UsageError("caregate-sim: --duration: expected a duration like 10s or 2m")
        }
        guard devices > 0, rate > 0 else { throw UsageError("caregate-sim: --devices and --rate must be above 0") }
        guard alertEvery >= 0, (1...2000).contains(ecgSamples) else { throw UsageError("caregate-sim: --alert-every ≥ 0, --ecg-samples 1–2000") }
        let streams = try LoadMix.parse(mix)
        let qos = broker.qos ?? 1
        let total = Int(Double(rate) * seconds)
        var fleet = LoadFleet(station: station, devices: devices, mix: streams, seed: seed, ecgSamples: ecgSamples)

        let probes = ProbeBook(expected: alertEvery > 0 ? total / alertEvery : 0)
        let watcher = try ProbeWatcher(broker: broker, topic: echo ? "care/\(station)/+/bp" : "care/\(station)/alerts", probes: probes, echo: echo)
        defer { watcher.stop() }
        var options = try broker.client("-load")
        // Unlimited at QoS 0, where libmosquitto keeps nothing in flight. At QoS 1 it scans its
        // list of unacknowledged messages on every publish and every PUBACK: unbounded, a broker
        // that falls behind makes that quadratic (minutes for 200,000, and a lost keep-alive).
        options.maxInflightMessages = qos == 0 ? 0 : 1000
        let client = try MQTTClient(options: options, onMessage: { _ in })
        try client.start()
        guard client.waitUntilConnected(timeoutSeconds: 10) else { throw Failure("caregate-sim: cannot connect to \(broker.url)") }
        defer { client.stop() }

        print("load: \(devices) devices (\(mix)), \(rate) msg/s for \(SimDuration.text(Int64(seconds * 1000))) = \(total) messages at QoS \(qos), "
            + (alertEvery > 0 ? "1 in \(alertEvery) a probe on \(echo ? "its own topic (echo)" : "the alerts topic")" : "no probes"))
        var progress = Progress(total: Int64(total), label: "  ")
        let interval = 1e9 / Double(rate)
        let tick: UInt64 = 1_000_000
        let start = Monotonic.nanos()
        var awake = start
        var publishErrors = 0
        var firstError: String?
        let wallStart = wallMillis()
        for i in 0..<total {
            let due = start + UInt64(Double(i) * interval)
            if due > awake {
                // Wake once a tick at most and send all that is due: a spinning sender would take
                // a core from the broker and the gateway.
                Monotonic.sleep(until: max(due, awake + tick))
                awake = Monotonic.nanos()
                progress.update(Int64(i), "sent \(i)  probe events \(probes.arrived)")
            }
            let ts = wallStart + Int64(Double(i) * interval / 1e6)
            let isProbe = alertEvery > 0 && i % alertEvery == alertEvery - 1
            let message = isProbe ? fleet.probe(ts: ts, number: i / alertEvery) : fleet.next(ts: ts)
            if isProbe { probes.sent(key: message.key, at: Monotonic.nanos()) }
            do {
                try client.publish(message.topic, payload: message.payload, qos: qos)
            } catch {
                publishErrors += 1
                if firstError == nil { firstError = "\(error)" }
            }
        }
        let sendSeconds = Double(Monotonic.nanos() - start) / 1e9
        progress.update(Int64(total), "sent \(total)")
        progress.finish()
        _ = client.waitUntilDelivered(timeoutSeconds: 30)
        let deadline = Monotonic.nanos() + 10_000_000_000
        while probes.arrived < probes.expected && Monotonic.nanos() < deadline { usleep(10_000) }
        usleep(200_000)
        let (published, acknowledged) = client.deliveries
        let report = probes.report()
        print(String(format: "  sent %d in %.2f s (%.0f msg/s); broker %@ %d; publish errors %d%@", published, sendSeconds, Double(published) / sendSeconds,
                     qos == 0 ? "written" : "acknowledged", acknowledged, publishErrors, firstError.map { " (\($0))" } ?? ""))
        if probes.expected > 0 {
            print("  probes \(report.count) of \(probes.expected) answered, lost \(probes.expected - report.count) (by seq); latency ms: "
                + report.text)
        }
    }
}

/// The share of each stream among the load's devices.
enum LoadMix {
    static func parse(_ text: String) throws -> [(StreamKind, Double)] {
        var out: [(StreamKind, Double)] = []
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=")
            guard kv.count == 2, let stream = StreamKind(name: String(kv[0])), let w = Double(kv[1]), w >= 0 else {
                throw UsageError("caregate-sim: --mix: expected STREAM=WEIGHT,... (bp, glucose, ecg, status, sos), found '\(part)'")
            }
            out.append((stream, w))
        }
        guard out.contains(where: { $0.1 > 0 }) else { throw UsageError("caregate-sim: --mix gives no stream a weight") }
        return out
    }
}
