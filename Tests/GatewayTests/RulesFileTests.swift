import AlertEngine
import CaregateTesting
import Foundation
import Gateway
import Testing

enum RulesFixtures {
    /// The repository's `systemd/rules.yaml`.
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("systemd/rules.yaml").path
    static let shipped = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// The rules file: the shipped one is exactly the built-in defaults, and every mistake is refused
/// with file, line and reason.
@Suite struct RulesFileTests {
    @Test func theShippedFileIsTheBuiltInDefaults() throws {
        let book = try RulesFile.load(RulesFixtures.path)
        #expect(book == RuleBook.defaults)
    }

    @Test func overridesDelaysAndAllowancesAreRead() throws {
        let text = RulesFixtures.shipped
            .replacingOccurrences(of: "    # bp: 26h", with: "    bp: 26h")
            .replacingOccurrences(of: "  glucose.high:\n", with: "  glucose.high:\n    delay: {readings: 2, for: 10m}\n")
            .replacingOccurrences(of: "overrides: []", with: """
                overrides:
                  - resident: r-0042
                    note: "Dr Chen: keep systolic under 150"
                    limits:
                      bp.high: [systolic >= 150, diastolic >= 95]
                  - device: st01/cgm-000042
                    limits:
                      glucose.low: [glucose < 80]
                """)
        let book = try RulesFile.parse(text, path: "rules.yaml")
        let bp: Int64? = book.silence?.allowances[.bp]
        #expect(bp == 93_600_000)
        #expect(book.families.first { $0.name == "glucose.high" }?.delay == ConditionDelay(readings: 2, millis: 600_000))
        #expect(book.overrides == [
            RuleOverride(subject: .resident("r-0042"), limits: ["bp.high": [.init(.systolic, .atLeast, 150), .init(.diastolic, .atLeast, 95)]]),
            RuleOverride(subject: .device(.init(station: "st01", device: "cgm-000042")), limits: ["glucose.low": [.init(.glucose, .below, 80)]]),
        ])
    }

    /// Each mistake, with the line it is on and the reason.
    @Test(arguments: [
        ("      - id: bp.crisis\n        priority: high\n        when: [systolic >= 180, diastolic >= 110]",
         "      - id: bp.crisis\n        priority: high\n        when: [systolc >= 180, diastolic >= 110]", "'systolc >= 180' is not a condition"),
        ("        when: [glucose > 300]", "        when: [pulse > 300]", "'pulse > 300': pulse is not on the glucose stream"),
        ("      - id: bp.low\n", "      - id: bp.crisis\n", "rule id bp.crisis is used twice"),
        ("    hysteresis: 5\n    rules:\n      - id: bp.low", "    hysterisis: 5\n    rules:\n      - id: bp.low", "unknown key 'hysterisis'"),
        ("        priority: medium\n        when: [systolic < 90", "        priority: urgent\n        when: [systolic < 90", "priority must be high, medium or low"),
        ("    rate_of_change: 15m", "    rate_of_change: 15 minutes", "expected a duration like 90s, 15m or 2h"),
        ("    default: 15m", "    default: soon", "expected a duration like 90s, 15m or 2h"),
        ("version: 1", "version: 2", "this caregate reads rules files of version 1"),
        ("overrides: []", "overrides:\n  - resident: r-1\n    limits:\n      bp.sky_high: [systolic >= 150]", "limits: no rule bp.sky_high in this file"),
        ("overrides: []", "overrides:\n  - device: bp-1\n    limits:\n      bp.high: [systolic >= 150]", "device: write STATION/DEVICE"),
        ("        when: [glucose <= -2]", "        when: [glucose <= -2, glucose < 1e999]", "'glucose < 1e999' is not a condition"),
    ])
    func mistakesAreRefusedWithFileLineAndReason(original: String, broken: String, reason: String) throws {
        #expect(RulesFixtures.shipped.contains(original))
        let text = RulesFixtures.shipped.replacingOccurrences(of: original, with: broken)
        // The broken lines are where the shipped file and the broken one first differ.
        let shippedLines = RulesFixtures.shipped.components(separatedBy: "\n")
        let lines = text.components(separatedBy: "\n")
        let first = zip(shippedLines, lines).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
        let brokenLines = (first + 1)...(first + broken.components(separatedBy: "\n").count)
        do {
            _ = try RulesFile.parse(text, path: "rules.yaml")
            Issue.record("accepted: \(broken)")
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
            #expect(error.message.hasPrefix("rules.yaml:"), "\(error.message)")
            let line = Int(error.message.split(separator: ":")[1]) ?? 0
            #expect(brokenLines.contains(line), "\(error.message) is not on lines \(brokenLines)")
        }
    }

    @Test func notYAMLAndEmptyFilesAreRefused() {
        #expect(throws: ConfigurationError.self) { try RulesFile.parse("families: [", path: "r.yaml") }
        #expect(throws: ConfigurationError.self) { try RulesFile.parse("", path: "r.yaml") }
        #expect(throws: ConfigurationError.self) { try RulesFile.parse("families: {}\n", path: "r.yaml") }
        #expect(throws: ConfigurationError.self) { try RulesFile.load("/nonexistent/rules.yaml") }
    }

    @Test func rulesCheckOnTheCommandLine() throws {
        let ok = try CaregateBinary.run(["rules", "check", RulesFixtures.path])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains(": ok: 7 families, 9 threshold rules, sos.call high, device.silent after 15 min, device.unregistered low, 0 overrides"))
        let folder = TemporaryDirectory()
        let bad = folder.file("rules.yaml")
        try RulesFixtures.shipped.replacingOccurrences(of: "when: [glucose > 300]", with: "when: [glucose >> 300]")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try CaregateBinary.run(["rules", "check", bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("caregate: \(bad):"))
        #expect(refused.stderr.contains("'glucose >> 300' is not a condition"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
    }
}
