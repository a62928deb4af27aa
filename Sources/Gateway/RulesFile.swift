import AlertEngine
import DeviceProfiles
import Foundation
import Telemetry
import Yams

/// The rules file (`systemd/rules.yaml` shows the format): read, checked completely, and turned
/// into a `RuleBook`. Every error names the file, the line and the reason; nothing half-read is
/// ever returned.
public enum RulesFile {
    /// Reads and checks the rules file at `path`.
    public static func load(_ path: String) throws(ConfigurationError) -> RuleBook {
        try parse(try ConfigFile.read(path, "the rules file"), path: path)
    }

    /// Parses rules from `text`; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> RuleBook {
        let file = ConfigFile(path: path)
        let root = try ConfigFile.compose(text, path: path, "the rules file")
        var book = RuleBook(families: [], silence: nil, unregistered: nil, ecg: ECGRules(pause: nil, irregular: nil, signal: nil))
        var sawVersion = false
        var pendingOverrides: Node?
        try file.walk(root, [
            "version": { n throws(ConfigurationError) in
                guard try file.int(n, 1...1000) == 1 else { throw file.error(n, "this caregate reads rules files of version 1") }
                sawVersion = true
            },
            "families": { n throws(ConfigurationError) in book.families = try families(n, file) },
            "sos.call": { n throws(ConfigurationError) in
                try file.walk(n, ["priority": { p throws(ConfigurationError) in book.emergencyCallPriority = try priority(p, file) }])
            },
            "device.silent": { n throws(ConfigurationError) in book.silence = try silence(n, file) },
            "device.unregistered": { n throws(ConfigurationError) in
                book.unregistered = .low
                try file.walk(n, ["priority": { p throws(ConfigurationError) in book.unregistered = try priority(p, file) }])
            },
            "ecg.pause": { n throws(ConfigurationError) in
                book.ecg.pause = .high
                try file.walk(n, ["priority": { p throws(ConfigurationError) in book.ecg.pause = try priority(p, file) }])
            },
            "ecg.irregular": { n throws(ConfigurationError) in
                book.ecg.irregular = .medium
                try file.walk(n, [
                    "priority": { p throws(ConfigurationError) in book.ecg.irregular = try priority(p, file) },
                    "for": { d throws(ConfigurationError) in book.ecg.irregularForMillis = try file.duration(d) },
                ])
            },
            "ecg.signal": { n throws(ConfigurationError) in
                book.ecg.signal = .low
                try file.walk(n, [
                    "priority": { p throws(ConfigurationError) in book.ecg.signal = try priority(p, file) },
                    "for": { d throws(ConfigurationError) in book.ecg.signalForMillis = try file.duration(d) },
                ])
            },
            // Overrides name rules, so they are read once the families are known.
            "overrides": { n throws(ConfigurationError) in pendingOverrides = n },
        ])
        guard sawVersion else { throw file.error(root, "the rules file must say `version: 1`") }
        if let pendingOverrides { book.overrides = try overrides(pendingOverrides, book, file) }
        return book
    }

    private static func families(_ node: Node, _ file: ConfigFile) throws(ConfigurationError) -> [RuleFamily] {
        guard let mapping = node.mapping else { throw file.error(node, "families: expected a mapping of family names to families") }
        var families: [RuleFamily] = []
        var ruleIDs: Set<String> = ["sos.call", "device.silent", "device.unregistered", "ecg.pause", "ecg.irregular", "ecg.signal"]
        for (key, value) in mapping {
            let name = try file.string(key)
            var stream: StreamKind?
            var hysteresis: Double?
            var delay: ConditionDelay?
            var window: Int64?
            var rules: [ThresholdRule] = []
            var rulesNode: Node?
            try file.walk(value, [
                "stream": { n throws(ConfigurationError) in
                    let text = try file.string(n)
                    guard let s = StreamKind(name: text), s != .sos else {
                        throw file.error(n, "stream must be one of bp, glucose, ecg, status (sos.call has its own section)")
                    }
                    stream = s
                },
                "hysteresis": { n throws(ConfigurationError) in hysteresis = try file.number(n, 0...1000) },
                "delay": { n throws(ConfigurationError) in
                    var d = ConditionDelay()
                    try file.walk(n, [
                        "readings": { r throws(ConfigurationError) in d.readings = try file.int(r, 1...10_000) },
                        "for": { r throws(ConfigurationError) in d.millis = try file.duration(r) },
                    ])
                    guard d.readings != nil || d.millis != nil else { throw file.error(n, "delay: give readings: N, for: DURATION, or both") }
                    delay = d
                },
                "rate_of_change": { n throws(ConfigurationError) in window = try file.duration(n) },
                "rules": { n throws(ConfigurationError) in rulesNode = n },
            ])
            guard let stream else { throw file.error(value, "family \(name): give its stream") }
            guard let rulesNode, let list = rulesNode.sequence, !list.isEmpty else {
                throw file.error(rulesNode ?? value, "family \(name): give its rules, a list of id, priority and when")
            }
            for ruleNode in list {
                var id: String?
                var priority: Priority?
                var conditions: [Condition]?
                try file.walk(ruleNode, [
                    "id": { n throws(ConfigurationError) in
                        let text = try file.string(n)
                        guard !ruleIDs.contains(text) else { throw file.error(n, "rule id \(text) is used twice") }
                        ruleIDs.insert(text)
                        id = text
                    },
                    "priority": { n throws(ConfigurationError) in priority = try Self.priority(n, file) },
                    "when": { n throws(ConfigurationError) in conditions = try Self.conditions(n, stream: stream, file) },
                ])
                guard let id, let priority, let conditions else { throw file.error(ruleNode, "family \(name): every rule needs id, priority and when") }
                rules.append(ThresholdRule(id: id, priority: priority, conditions: conditions))
            }
            if window != nil, Set(rules.flatMap { $0.conditions.map(\.measure) }).count != 1 {
                throw file.error(rulesNode, "family \(name): a rate_of_change family follows one measure")
            }
            families.append(RuleFamily(name: name, stream: stream, rules: rules, hysteresisMargin: hysteresis ?? 0,
                                       delay: delay, rateWindowMillis: window))
        }
        return families
    }

    static func priority(_ node: Node, _ file: ConfigFile) throws(ConfigurationError) -> Priority {
        guard let p = Priority(name: try file.string(node)) else { throw file.error(node, "priority must be high, medium or low") }
        return p
    }

    /// `[systolic >= 180, diastolic >= 110]`, each "MEASURE OP NUMBER" on a measure of `stream`.
    static func conditions(_ node: Node, stream: StreamKind?, _ file: ConfigFile) throws(ConfigurationError) -> [Condition] {
        guard let list = node.sequence, !list.isEmpty else { throw file.error(node, "when: expected a list like [systolic >= 180, diastolic >= 110]") }
        var conditions: [Condition] = []
        for item in list {
            let text = try file.string(item)
            guard let condition = condition(text) else { throw file.error(item, "'\(text)' is not a condition: \(conditionHelp)") }
            if let stream, condition.measure.stream != stream {
                throw file.error(item, "'\(text)': \(condition.measure.rawValue) is not on the \(stream.name) stream")
            }
            conditions.append(condition)
        }
        return conditions
    }

    /// "systolic >= 180": one condition, or nil if the text is not one.
    static func condition(_ text: String) -> Condition? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, let measure = Measure(rawValue: String(parts[0])),
              let comparison = Condition.Comparison(rawValue: String(parts[1])),
              let limit = Double(parts[2]), limit.isFinite else { return nil }
        return Condition(measure, comparison, limit)
    }

    static let conditionHelp = "write MEASURE OP NUMBER, e.g. systolic >= 180 (measures \(Measure.allCases.map(\.rawValue).joined(separator: ", ")); OP >=, >, <, <=)"

    /// Why `conditions` cannot replace those of rule `id` in `book`, or nil when they can.
    static func limitProblem(_ id: String, _ conditions: [Condition], in book: RuleBook) -> String? {
        guard let (f, _) = book.rule(id) else { return "no rule \(id) in the rules" }
        let family = book.families[f]
        if let wrong = conditions.first(where: { $0.measure.stream != family.stream }) {
            return "\(id): \(wrong.measure.rawValue) is not on the \(family.stream.name) stream"
        }
        if family.rateWindowMillis != nil, Set(conditions.map(\.measure)) != Set(family.rules[0].conditions.map(\.measure)) {
            return "limits of \(id) must follow the family's measure"
        }
        return nil
    }

    private static func silence(_ node: Node, _ file: ConfigFile) throws(ConfigurationError) -> SilenceRule {
        var rule = SilenceRule()
        try file.walk(node, [
            "priority": { n throws(ConfigurationError) in rule.priority = try priority(n, file) },
            "allowance": { n throws(ConfigurationError) in
                guard let mapping = n.mapping else { throw file.error(n, "allowance: expected default: DURATION and STREAM: DURATION") }
                for (key, value) in mapping {
                    let name = try file.string(key)
                    let millis = try file.duration(value)
                    if name == "default" {
                        rule.defaultAllowanceMillis = millis
                    } else if let stream = StreamKind(name: name) {
                        rule.allowances[stream] = millis
                    } else {
                        throw file.error(key, "allowance: '\(name)' is not default or a stream (bp, glucose, ecg, sos, status)")
                    }
                }
            },
        ])
        return rule
    }

    private static func overrides(_ node: Node, _ book: RuleBook, _ file: ConfigFile) throws(ConfigurationError) -> [RuleOverride] {
        if case .scalar = node, (try? file.optionalString(node)) == nil { return [] }
        guard let list = node.sequence else { throw file.error(node, "overrides: expected a list of resident or device overrides") }
        var result: [RuleOverride] = []
        var seen: Set<RuleOverride.Subject> = []
        for item in list {
            var subject: RuleOverride.Subject?
            var limits: [String: [Condition]] = [:]
            try file.walk(item, [
                "resident": { n throws(ConfigurationError) in subject = .resident(try file.string(n)) },
                "device": { n throws(ConfigurationError) in
                    let text = try file.string(n)
                    let parts = text.split(separator: "/")
                    guard parts.count == 2, CareTopic.isStationID(String(parts[0])) else {
                        throw file.error(n, "device: write STATION/DEVICE, e.g. st01/bp-000123")
                    }
                    subject = .device(DeviceAddress(station: String(parts[0]), device: String(parts[1])))
                },
                "note": { n throws(ConfigurationError) in _ = try file.optionalString(n) },
                "limits": { n throws(ConfigurationError) in
                    guard let mapping = n.mapping, !mapping.isEmpty else { throw file.error(n, "limits: expected RULE: [conditions]") }
                    for (key, value) in mapping {
                        let id = try file.string(key)
                        guard let (f, _) = book.rule(id) else { throw file.error(key, "limits: no rule \(id) in this file") }
                        let conditions = try conditions(value, stream: book.families[f].stream, file)
                        if let problem = limitProblem(id, conditions, in: book) { throw file.error(value, problem) }
                        limits[id] = conditions
                    }
                },
            ])
            guard let subject else { throw file.error(item, "an override names a resident or a device") }
            guard !limits.isEmpty else { throw file.error(item, "an override needs limits") }
            guard seen.insert(subject).inserted else { throw file.error(item, "a second override for the same \(subject)") }
            result.append(RuleOverride(subject: subject, limits: limits))
        }
        return result
    }
}

extension ConfigFile {
    func number(_ node: Node, _ range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        guard let d = node.float, d.isFinite, range.contains(d) else {
            throw error(node, "expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return d
    }

    /// `90s`, `15m`, `2h`, `500ms` → ms.
    func duration(_ node: Node) throws(ConfigurationError) -> Int64 {
        guard let millis = Self.parseDuration(try string(node)) else {
            throw error(node, "expected a duration like 90s, 15m or 2h")
        }
        return millis
    }

    static func parseDuration(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let n = Int64(text.dropLast(suffix.count)), n > 0, n <= 1_000_000 else { return nil }
            return n * scale
        }
        return nil
    }
}
