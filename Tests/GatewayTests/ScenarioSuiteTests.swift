import CaregateTesting
import Foundation
import Gateway
import Testing

/// `make test` runs every scenario of `simulators/` with `caregate-sim verify` against the real
/// gateway and broker, accelerated, and fails on any missed or unexpected alert.
@Suite("Scenario suite", .serialized)
struct ScenarioSuiteTests {
    static let simulators = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("simulators").path

    /// A scenario file and the rules file its gateway needs, if not the defaults.
    struct Entry {
        var path: String
        var rules: String?
    }

    static var scenarios: [Entry] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: simulators)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        return files.map { name in
            let text = (try? String(contentsOfFile: simulators + "/" + name, encoding: .utf8)) ?? ""
            let rules = text.split(separator: "\n").first { $0.hasPrefix("gateway_rules:") }
                .map { simulators + "/" + $0.dropFirst("gateway_rules:".count).trimmingCharacters(in: .whitespaces) }
            return Entry(path: simulators + "/" + name, rules: rules)
        }
    }

    /// Runs `scenarios` together against one gateway (its own broker and database) with `rules`.
    func verify(_ scenarios: [Entry], rules: String?) throws {
        let station = try Station()
        for s in scenarios {
            let registry = try CaregateBinary.run(["registry", s.path], executable: CaregateBinary.simulatorPath)
            #expect(registry.status == 0, "\(registry.stderr)")
            let file = station.folder.file(URL(fileURLWithPath: s.path).lastPathComponent + ".registry.yaml")
            try registry.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            let imported = try CaregateBinary.run(["residents", "import", file, "--db", station.db])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        var config = "station: \"+\"\ntime_zone: \"+08:00\"\n"
        if let rules { config += "rules:\n  file: \(rules)\n" }
        try station.startGateway(config: config)
        // Every scenario at once: they have stations of their own.
        let runs = try scenarios.map { s -> (Entry, Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CaregateBinary.simulatorPath)
            process.arguments = ["verify", s.path, "--mqtt-url", station.broker.url.description, "--seed", "2026"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try ChildProcess.run(process)
            return (s, process, out)
        }
        for (s, process, out) in runs {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(URL(fileURLWithPath: s.path).lastPathComponent):\n\(text)")
            #expect(text.contains("PASSED"))
        }
    }

    @Test("the scenarios of the default rules, together against one gateway")
    func defaultRules() throws {
        try verify(Self.scenarios.filter { $0.rules == nil && !$0.path.hasSuffix("20-station-day.yaml") }, rules: nil)
    }

    @Test("the scenarios that need rules of their own, each against its own gateway")
    func ownRules() throws {
        for s in Self.scenarios where s.rules != nil { try verify([s], rules: s.rules) }
    }

    @Test("a station's day of 500 residents compressed to a minute")
    func stationDay() throws {
        try verify(Self.scenarios.filter { $0.path.hasSuffix("20-station-day.yaml") }, rules: nil)
    }

    @Test("the short-silence rules are the defaults but for one allowance")
    func shortSilenceRules() throws {
        let defaults = try String(contentsOfFile: Self.simulators + "/../systemd/rules.yaml", encoding: .utf8)
        let short = try String(contentsOfFile: Self.simulators + "/rules/short-silence.yaml", encoding: .utf8)
        let body = short.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("# ") || defaults.contains($0) }
        #expect(body.filter { $0 != "    status: 5s" }.joined(separator: "\n") == defaults.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n"))
    }
}
