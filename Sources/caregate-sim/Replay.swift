import ArgumentParser
import CommandContract
import Foundation
import MQTT
import Simulation

/// `caregate-sim replay`: recordings and traces at their own rates.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay recordings at their own rates: traces made by record (or run --trace), ECG, CGM and BP survey CSVs of shared/data.",
        discussion: """
        A .jsonl file is a trace; a .csv is recognised by its header: sample,uv (an ECG, its rate \
        in NAME.hz beside it, sent in chunks), t_ms,mg_dl (a glucose trace) or \
        subject_id,…,systolic_mmhg,diastolic_mmhg (a BP survey, sent as a community kiosk \
        measuring one person each --interval). Several files play together.
        """)

    @Argument(help: "Trace (.jsonl) and recording (.csv) files.")
    var files: [String]

    @Option(help: "Times faster than the recording.")
    var speed: Double = 1

    @Option(help: "Station of the devices replaying a CSV.")
    var station = "st01"

    @Option(help: "Device id for a CSV (default from the file name).")
    var device: String?

    @Option(help: "Profile a CSV's readings are sent in: canonical, senml, ble-gatt (glucose), polar-pmd (ECG).")
    var profile = "canonical"

    @Option(help: "ECG: samples a message (default a tenth of a second).")
    var chunk: Int?

    @Option(help: "ECG: sample rate, instead of the NAME.hz file.")
    var hz: Int?

    @Option(help: "BP survey: time between two people at the kiosk.")
    var interval = "1m"

    @Option(help: "Device time of the replay's start, ms since the epoch (default: now).")
    var start: Int64?

    @Flag(inversion: .prefixedNo, help: "Move a trace's JSON ts fields to the replay's clock, so the gateway takes it as new traffic.")
    var retime = true

    @OptionGroup var broker: BrokerOptions

    func run() throws {
        guard speed > 0 else { throw UsageError("caregate-sim: --speed must be above 0") }
        guard let profile = SimProfile(rawValue: profile) else { throw UsageError("caregate-sim: --profile: expected canonical, senml, ble-gatt or polar-pmd") }
        guard let gap = SimDuration.parse(interval), gap > 0 else { throw UsageError("caregate-sim: --interval: expected a duration like 1m") }
        let startMillis = start ?? wallMillis()
        let options = RecordedTraffic.Options(station: station, device: files.count == 1 ? device : nil, profile: profile, chunk: chunk, hz: hz, interval: gap)
        var merged: [(TimedMessage, Int32?, Int)] = []
        for (index, file) in files.enumerated() {
            do {
                if file.hasSuffix(".jsonl") {
                    let trace = try Trace.load(file)
                    let shift = retime ? startMillis - (trace.recordedAt ?? startMillis) : 0
                    for (m, q) in zip(trace.messages, trace.qos) {
                        var moved = m
                        moved.payload = Trace.retime(m.payload, by: shift)
                        merged.append((moved, q, index))
                    }
                } else {
                    for m in try RecordedTraffic.load(file, options, startMillis: startMillis) { merged.append((m, nil, index)) }
                }
            } catch {
                throw Failure("caregate-sim: \(error)")
            }
        }
        merged.sort { ($0.0.offset, $0.2) < ($1.0.offset, $1.2) }
        let messages = merged.map(\.0)
        let total = messages.last?.offset ?? 0
        let client = try broker.connectPublisher()
        defer { client.stop() }
        print("replay: \(messages.count) messages over \(SimDuration.text(total)) at \(ScenarioArguments.number(speed))× to \(broker.url)")
        let player = Player(client: client, speed: speed, qos: broker.qos ?? 1)
        let qosList = merged.map { $0.1 ?? broker.qos ?? 1 }
        let result = player.play(messages, qosList: qosList, total: total, label: "  ", startNanos: Monotonic.nanos())
        let delivered = client.waitUntilDelivered(timeoutSeconds: 10)
        let topics = result.byTopic.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("  Sent \(result.sent) messages in \(String(format: "%.1f", result.wallSeconds)) s (\(topics))\(delivered ? "" : "; not all acknowledged")")
        if result.publishErrors > 0 { throw Failure("caregate-sim: \(result.publishErrors) messages could not be published: \(result.firstError ?? "")") }
    }
}
