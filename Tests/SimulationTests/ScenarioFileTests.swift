import Testing
@testable import Simulation

@Suite("Scenario files")
struct ScenarioFileTests {
    @Test("every shipped scenario loads", arguments: Repository.scenarios)
    func shipped(path: String) throws {
        let s = try Scenario.load(file: path)
        #expect(!s.devices.isEmpty)
        #expect(!s.expectations.isEmpty || !s.failsOnUnexpected, "a shipped scenario says what it must cause")
    }

    @Test("the shipped scenarios cover the default rules")
    func coverage() throws {
        var rules = Set<String>()
        for path in Repository.scenarios {
            for e in try Scenario.load(file: path).expectations {
                if case .event(_, let rule, _) = e.kind { rules.insert(rule) }
            }
        }
        let defaults = ["sos.call", "bp.crisis", "bp.high", "bp.low", "glucose.very_low", "glucose.low", "glucose.high", "hr.extreme",
                        "glucose.falling", "device.silent", "device.battery", "device.unregistered", "ecg.pause"]
        #expect(Set(defaults).subtracting(rules).isEmpty, "no scenario for \(Set(defaults).subtracting(rules).sorted())")
    }

    /// A fault in a scenario file is refused with the file, the line and the reason.
    @Test("errors name file, line and reason", arguments: [
        ("station: ST 01", 2, "station 'ST 01'"),
        ("duration: soon", 3, "expected a duration"),
        ("speed: 0", 4, "speed: expected a number above 0"),
        ("colour: red", 1, "unknown key 'colour'"),
    ] as [(String, Int, String)])
    func topLevel(line: String, expectedLine: Int, message: String) {
        var lines = ["scenario: s", "station: st01", "duration: 1h", "speed: 10", "devices:", "  - { id: p-1, stream: status, heartbeat: 1m }"]
        if line.hasPrefix("colour") { lines.insert(line, at: 0) } else {
            let key = line.split(separator: ":")[0]
            lines = lines.map { $0.hasPrefix(key + ":") ? line : $0 }
        }
        let path = scenarioFile(lines.joined(separator: "\n"))
        #expect {
            try Scenario.load(file: path)
        } throws: { error in
            let e = error as! ScenarioError
            return e.file == path && e.line == expectedLine && e.message.contains(message)
        }
    }

    @Test("device and event faults are refused at their line", arguments: [
        ("  - { at: 3h, device: bp-1, sos: fall }", "after the scenario's end"),
        ("  - { at: 1m, device: bp-9, set: { systolic: 190 } }", "device 'bp-9' is not in the scenario"),
        ("  - { at: 1m, device: bp-1, sos: fall }", "not an emergency-call"),
        ("  - { at: 1m, device: bp-1, set: { glucose: 40 } }", "does not send glucose"),
        ("  - { at: 1m, device: bp-1, ramp: { systolic: 190 } }", "ramp needs over"),
        ("  - { at: 1m, device: bp-1, malformed: rude }", "malformed: expected one of"),
        ("  - { at: 1m, device: bp-1, set: { systolic: 190 }, duplicate: true }", "does one thing"),
    ])
    func events(line: String, message: String) {
        let path = scenarioFile(cuffScenario(events: line))
        #expect {
            try Scenario.load(file: path)
        } throws: { error in
            let e = error as! ScenarioError
            return e.line == 18 && e.message.contains(message)
        }
    }

    @Test("a device without what its stream needs is refused")
    func devices() {
        for (device, message) in [
            ("{ id: bp-2, stream: bp, every: 5m, model: { systolic: 120 } }", "needs a model for diastolic"),
            ("{ id: cgm-2, stream: glucose, model: { glucose: 100 } }", "needs a schedule"),
            ("{ id: bp-2, stream: bp, profile: polar-pmd, every: 5m, model: { systolic: 120, diastolic: 80 } }", "cannot carry the bp stream"),
            ("{ id: alerts, stream: status, heartbeat: 1m }", "reserved"),
            ("{ id: p-2, stream: status }", "heartbeat: DURATION"),
            ("{ id: bp-1, stream: status, heartbeat: 1m }", "listed twice"),
        ] {
            let path = scenarioFile(cuffScenario(extra: "devices:\n  - \(device)"))
            #expect(throws: ScenarioError.self) { try Scenario.load(file: path) }
            do {
                _ = try Scenario.load(file: path)
            } catch {
                #expect(error.message.contains(message), "\(device): \(error)")
                #expect(error.line > 0)
            }
        }
    }

    @Test("a YAML syntax error names its line")
    func syntax() {
        let path = scenarioFile("scenario: s\nstation: st01\nduration: [1h\n")
        #expect(throws: ScenarioError.self) { try Scenario.load(file: path) }
        do { _ = try Scenario.load(file: path) } catch { #expect(error.line >= 3 && error.message.contains("not valid YAML")) }
    }

    @Test("a population expands its template with zero-padded numbers")
    func population() throws {
        let s = try scenario("""
            scenario: many
            station: st01
            duration: 1d
            population:
              count: 12
              resident:
                id: r-{n}
                devices:
                  - id: bp-{n}
                    stream: bp
                    at: ["08:00", "20:00"]
                    model: { systolic: { baseline: 130, spread: 10 }, diastolic: 80 }
            """)
        #expect(s.residents.count == 12)
        #expect(s.residents.first?.id == "r-0001" && s.residents.last?.id == "r-0012")
        #expect(s.devices.map(\.resident) == s.residents.map(\.id))
        #expect(s.devices[11].id == "bp-0012")
    }

    @Test("durations and times of day")
    func durations() {
        #expect(SimDuration.parse("90s") == 90_000)
        #expect(SimDuration.parse("1h30m") == 5_400_000)
        #expect(SimDuration.parse("250ms") == 250)
        #expect(SimDuration.parse("1d") == 86_400_000)
        #expect(SimDuration.parse("10") == nil)
        #expect(SimDuration.parse("m") == nil)
        #expect(SimDuration.timeOfDay("08:00") == Int64(8 * 3_600_000))
        #expect(SimDuration.timeOfDay("24:00") == nil)
        #expect(SimDuration.zoneOffset("+08:00") == Int64(8 * 3_600_000))
        #expect(SimDuration.zoneOffset("-05:30") == -(5 * 60 + 30) * 60_000)
        #expect(SimDuration.text(5_400_500) == "1h30m500ms")
    }
}
