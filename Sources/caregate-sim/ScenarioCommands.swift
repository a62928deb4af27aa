import ArgumentParser
import CommandContract
import Foundation
import MQTT
import Simulation

/// What `run` and `verify` share: the scenario, its clock and the broker.
struct ScenarioArguments: ParsableArguments {
    @Argument(help: "The scenario file (simulators/NN-name.yaml).")
    var scenario: String

    @Option(help: "Times faster than real time (default: the scenario's speed). Device clocks run as fast.")
    var speed: Double?

    @Option(help: "Seed of the random values: the same seed and --start give byte-identical traffic.")
    var seed: UInt64 = 1

    @Option(help: "Device time of the scenario's start, ms since the epoch (default: now).")
    var start: Int64?

    @Flag(name: .customLong("leave-open"), help: "Leave the alerts on the board at the end (by default the simulator acknowledges them, so that a run can be repeated).")
    var leaveOpen = false

    @OptionGroup var broker: BrokerOptions

    /// The scenario and the speed it runs at.
    func load() throws -> (Scenario, Double) {
        let s: Scenario
        do {
            s = try Scenario.load(file: scenario)
        } catch {
            throw Failure("caregate-sim: \(error)")
        }
        let speed = speed ?? s.speed
        guard speed > 0 else { throw UsageError("caregate-sim: --speed must be above 0") }
        if let max = s.maxSpeed, speed > max {
            throw UsageError("caregate-sim: \(scenario) waits on the gateway's own clock and runs at --speed \(Self.number(max)) at most")
        }
        return (s, speed)
    }

    /// Plays the scenario against the broker, watching its alerts; returns what was sent and seen.
    func play(_ s: Scenario, speed: Double, grace: Double) throws -> (Player.Result, [AlertObservation], Int64) {
        // On a whole second: devices whose clocks count seconds (GATT) then agree with the schedule.
        let startMillis = start ?? wallMillis() / 1000 * 1000
        let messages = ScenarioTraffic.generate(s, seed: seed, startMillis: startMillis)
        let watcher = try AlertWatcher(broker: broker, station: s.station)
        defer { watcher.stop() }
        let client = try broker.connectPublisher()
        defer { client.stop() }
        print("\(s.title)\n  \(scenario): station \(s.station), \(s.residents.count) residents, \(s.devices.count) devices, "
            + "\(messages.count) messages over \(SimDuration.text(s.durationMillis)) of scenario time at \(Self.number(speed))×, seed \(seed)")
        let startNanos = Monotonic.nanos()
        watcher.begin(startNanos: startNanos, startMillis: startMillis, speed: speed)
        var player = Player(client: client, speed: speed, qos: broker.qos ?? s.qos)
        player.watcher = watcher
        let result = player.play(messages, total: s.durationMillis, label: "  ", startNanos: startNanos)
        _ = client.waitUntilDelivered(timeoutSeconds: 10)
        // Alerts may come after the traffic: wait out every expectation's window, then the grace.
        let end = max(s.durationMillis, s.expectations.compactMap(\.until).max() ?? 0)
        Monotonic.sleep(until: startNanos + UInt64(Double(end) / speed * 1e6) + UInt64(grace * 1e9))
        let observed = watcher.observed
        if !leaveOpen {
            let cleared = watcher.acknowledgeAll(by: "caregate-sim", client: client)
            if cleared > 0 { print("  Acknowledged the \(cleared) alerts left on the board (as caregate-sim; --leave-open keeps them)") }
        }
        print("  Device clock ran \(startMillis) to \(startMillis + s.durationMillis) (ms); a repeat against the same gateway "
            + "takes --start \(startMillis + s.durationMillis) or later, or rate-of-change rules see the clock go back")
        return (result, observed, end)
    }

    static func number(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
}

/// `caregate-sim run`: plays a scenario's traffic against the broker and reports what it caused.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a scenario's devices against the broker, in real time or faster, and list the alerts they caused.")

    @OptionGroup var arguments: ScenarioArguments

    @Option(help: "Write the traffic to this trace file (JSON Lines) instead of publishing it.")
    var trace: String?

    @Option(help: "Seconds to keep watching alerts after the last message.")
    var grace: Double = 2

    func run() throws {
        let (s, speed) = try arguments.load()
        if let trace {
            let start = arguments.start ?? wallMillis() / 1000 * 1000
            let messages = ScenarioTraffic.generate(s, seed: arguments.seed, startMillis: start)
            try TraceWriter.write(messages, qos: arguments.broker.qos ?? s.qos, to: trace, recordedAt: start)
            print("\(trace): \(messages.count) messages of \(s.title)")
            return
        }
        let (result, observed, end) = try arguments.play(s, speed: speed, grace: grace)
        Report.print(s, result: result, observed: observed, verification: nil, end: end)
        if result.publishErrors > 0 { throw Failure("caregate-sim: \(result.publishErrors) messages could not be published: \(result.firstError ?? "")") }
    }
}

/// `caregate-sim verify`: runs a scenario against a running gateway and checks its expectations.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario against a running gateway; report every expected alert met or missed and any unexpected one; exit 0 or 1.")

    @OptionGroup var arguments: ScenarioArguments

    @Option(help: "Seconds to keep watching alerts after the last expectation's window closes.")
    var grace: Double = 2

    @Option(name: .customLong("max-latency"), help: "Seconds of wall time an alert may take after its reading was sent before the run fails.")
    var maxLatency: Double = 5

    func run() throws {
        let (s, speed) = try arguments.load()
        guard !s.expectations.isEmpty || !s.failsOnUnexpected else {
            throw UsageError("caregate-sim: \(arguments.scenario) expects nothing; add expect: to verify it, or use run")
        }
        let (result, observed, end) = try arguments.play(s, speed: speed, grace: grace)
        let verification = Verification(s.expectations, observed: observed, endOffset: end, failsOnUnexpected: s.failsOnUnexpected)
        Report.print(s, result: result, observed: observed, verification: verification, end: end)
        let slow = observed.filter { ($0.latencyMillis ?? 0) > maxLatency * 1000 }
        for o in slow.prefix(10) {
            print(String(format: "  SLOW  %@ %@ %@ at %@: %.0f ms after its reading (--max-latency %.1f s)",
                         o.rule, o.event, o.device, SimDuration.text(o.offset), o.latencyMillis ?? 0, maxLatency))
        }
        if result.publishErrors > 0 { throw Failure("caregate-sim: \(result.publishErrors) messages could not be published: \(result.firstError ?? "")") }
        if !verification.passed || !result.unanswered.isEmpty || !slow.isEmpty { throw ExitCode(1) }
    }
}

/// `caregate-sim check`: reads scenario files and says what is wrong with them.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check scenario files: each error with its file, line and reason.")

    @Argument(help: "Scenario files.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let s = try Scenario.load(file: file)
                print("\(file): ok: \(s.residents.count) residents, \(s.devices.count) devices, \(s.events.count) events, \(s.expectations.count) expectations")
            } catch {
                FileStandardError.write("\(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `caregate-sim registry`: the registry a gateway needs for a scenario.
struct RegistryExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Print a scenario's residents and devices as a registry file for caregate residents import.")

    @Argument(help: "The scenario file.")
    var scenario: String

    func run() throws {
        do {
            print(ScenarioRegistry.yaml(try Scenario.load(file: scenario)), terminator: "")
        } catch {
            throw Failure("caregate-sim: \(error)")
        }
    }
}
