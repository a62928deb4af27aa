import CaregateTesting
import Foundation
import Gateway
import Storage
import Testing

/// `caregate-sim` as a tester runs it: record live traffic and replay it, replay a real
/// recording, a load test with its latency report, and its answers to bad input.
@Suite("caregate-sim commands")
struct SimulatorCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func sim(_ arguments: [String]) throws -> CaregateBinary.Result {
        try CaregateBinary.run(arguments, executable: CaregateBinary.simulatorPath)
    }

    /// Starts a caregate-sim command in the background.
    func background(_ arguments: [String], output: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CaregateBinary.simulatorPath)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = process.standardOutput
        try ChildProcess.run(process)
        return process
    }

    @Test("record live traffic, then replay the trace into a gateway: every message stored, the crisis raised")
    func recordAndReplay() throws {
        let station = try Station()
        let trace = station.folder.file("trace.jsonl")
        let log = station.folder.file("record.log")
        let recorder = try background(["record", "--station", "sim-02", "--out", trace, "--mqtt-url", station.broker.url.description], output: log)
        // It prints its first line once the broker has granted its subscription.
        #expect(Waiting.until(timeoutSeconds: 10) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("record:") })
        let scenario = Self.root + "/simulators/02-bp-crisis.yaml"
        let run = try sim(["run", scenario, "--speed", "12000", "--grace", "0.2", "--mqtt-url", station.broker.url.description])
        #expect(run.status == 0, "\(run.stderr)")
        // The header and 25 readings (12 and 13 with the crisis); the nurse's acknowledgement
        // goes to the alerts topics, which are not recorded.
        #expect(Waiting.until(timeoutSeconds: 10) { ((try? String(contentsOfFile: trace, encoding: .utf8)) ?? "").split(separator: "\n").count == 26 })
        kill(recorder.processIdentifier, SIGINT)
        recorder.waitUntilExit()
        #expect(recorder.terminationStatus == 0)
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 + 25, "\(lines.prefix(3))")
        #expect(lines.first?.contains("caregate_trace") == true)

        let registry = try sim(["registry", scenario])
        try registry.stdout.write(toFile: station.folder.file("registry.yaml"), atomically: true, encoding: .utf8)
        #expect(try CaregateBinary.run(["residents", "import", station.folder.file("registry.yaml"), "--db", station.db]).status == 0)
        try station.startGateway(extra: ["--station", "sim-02"])
        let replay = try sim(["replay", trace, "--speed", "200", "--mqtt-url", station.broker.url.description])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("Sent 25 messages"), "\(replay.stdout)")
        let stored = station.waitForReadings(device: "bp-0201", count: 13)
        #expect(stored.count == 13)
        #expect(stored.contains { $0.reading.ts > Int64(Date().timeIntervalSince1970 * 1000) - 60_000 }, "retimed to the replay's clock")
        var raised: [String] = []
        _ = Waiting.until(timeoutSeconds: 10) {
            let alerts = (try? CaregateBinary.run(["query", "alerts", "--format", "jsonl", "--db", station.db]))?.lines ?? []
            raised = alerts.filter { $0.contains(#""event":"raised""#) && $0.contains(#""rule":"bp.crisis""#) }
            return !raised.isEmpty
        }
        #expect(raised.count == 1 && raised.first?.contains(#""resident":"r-0201""#) == true, "\(raised)")
    }

    @Test("replay a real ECG recording: the gateway stores its samples exactly, chunk by chunk")
    func ecgReplay() throws {
        let station = try Station()
        try station.startGateway()
        let csv = Self.root + "/simulators/recordings/ecg_bsnb_rest_20s_100hz.csv"
        let replay = try sim(["replay", csv, "--device", "ecg-0001", "--station", "st01", "--speed", "50", "--mqtt-url", station.broker.url.description])
        #expect(replay.status == 0, "\(replay.stderr)")
        let expected = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[1])! }
        let chunks = station.waitForReadings(device: "ecg-0001", count: (expected.count + 9) / 10)
        #expect(chunks.count == (expected.count + 9) / 10)
        let query = try CaregateBinary.run(["query", "readings", "--device", "ecg-0001", "--stream", "ecg", "--format", "jsonl", "--db", station.db])
        var samples: [Int] = []
        for line in query.lines {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let step = (o["uv_per_lsb"] as! NSNumber).intValue
            samples += (o["samples"] as! [Int]).map { $0 * step }
        }
        #expect(samples == expected)
    }

    @Test("a load test reports what it sent, the probes' latency on the alerts topic and their loss")
    func load() throws {
        let station = try Station()
        try station.startGateway(extra: ["--station", "load"])
        let result = try sim(["load", "--devices", "50", "--rate", "2000", "--duration", "2s", "--alert-every", "50",
                              "--mqtt-url", station.broker.url.description])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sent 4000 in"), "\(result.stdout)")
        #expect(result.stdout.contains("probes 80 of 80 answered, lost 0"), "\(result.stdout)")
        #expect(result.stdout.contains("latency ms: p50 "))
    }

    @Test("run --trace writes byte-identical traffic for a seed and start")
    func deterministic() throws {
        let folder = TemporaryDirectory()
        let scenario = Self.root + "/simulators/15-profiles.yaml"
        for (name, seed) in [("a", "5"), ("b", "5"), ("c", "6")] {
            let r = try sim(["run", scenario, "--seed", seed, "--start", "1764000000000", "--trace", folder.file(name)])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: folder.file("a")))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: folder.file("b")))))
        #expect(a != (try Data(contentsOf: URL(fileURLWithPath: folder.file("c")))))
    }

    @Test("bad input: a broken scenario names file and line; bad usage exits 2; no broker exits 1")
    func badInput() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("bad.yaml")
        try "scenario: s\nstation: st01\nduration: 1h\ndevices:\n  - { id: bp-1, stream: bp, every: 5m, model: { systolic: 120 } }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let check = try sim(["check", path])
        #expect(check.status == 1)
        #expect(check.stderr.contains("\(path):5: device 'bp-1': a bp device needs a model for diastolic"), "\(check.stderr)")
        let verify = try sim(["verify", path])
        #expect(verify.status == 1 && verify.stderr.contains("\(path):5:"))
        #expect(try sim(["run", Self.root + "/simulators/10-device-silent.yaml", "--speed", "10"]).status == 2)
        #expect(try sim(["load", "--mix", "bp=x"]).status == 2)
        let noBroker = try sim(["run", Self.root + "/simulators/03-bp-high.yaml", "--mqtt-url", "mqtt://127.0.0.1:1"])
        #expect(noBroker.status == 1 && noBroker.stderr.contains("cannot"), "\(noBroker.stderr)")
    }
}
