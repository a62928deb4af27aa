import AlertEngine
import Storage
import Telemetry

/// A family doctor's limits for one resident, kept in the registry, made into the rule book's
/// overrides. They are written as in the rules file: `bp.high: [systolic >= 150, diastolic >= 95]`.
public enum ResidentLimits {
    /// The limits as written, checked against `book`: rule id → conditions.
    public static func parse(_ limits: [String: [String]], in book: RuleBook) throws(RegistryError) -> [String: [Condition]] {
        var parsed: [String: [Condition]] = [:]
        for (rule, texts) in limits.sorted(by: { $0.key < $1.key }) {
            guard !texts.isEmpty else { throw RegistryError("limits of \(rule): give at least one condition") }
            var conditions: [Condition] = []
            for text in texts {
                guard let condition = RulesFile.condition(text) else {
                    throw RegistryError("limits of \(rule): '\(text)' is not a condition: \(RulesFile.conditionHelp)")
                }
                conditions.append(condition)
            }
            if let problem = RulesFile.limitProblem(rule, conditions, in: book) { throw RegistryError(problem) }
            parsed[rule] = conditions
        }
        return parsed
    }

    /// `book` with each registered resident's limits as an override. For a resident the rules file
    /// also overrides, the registry's limits win rule by rule. Limits `book` cannot take (a rule
    /// the rules file no longer has) are left out, each with a warning.
    public static func merge(_ book: RuleBook, _ registry: Registry) -> (book: RuleBook, warnings: [String]) {
        var merged = book
        var warnings: [String] = []
        for resident in registry.residents.values.sorted(by: { $0.id < $1.id }) where !resident.limits.isEmpty {
            var limits: [String: [Condition]] = [:]
            for (rule, texts) in resident.limits {
                do {
                    limits.merge(try parse([rule: texts], in: book)) { $1 }
                } catch {
                    warnings.append("resident \(resident.id): \(error); the station's limits apply")
                }
            }
            guard !limits.isEmpty else { continue }
            if let i = merged.overrides.firstIndex(where: { $0.subject == .resident(resident.id) }) {
                merged.overrides[i].limits.merge(limits) { $1 }
            } else {
                merged.overrides.append(RuleOverride(subject: .resident(resident.id), limits: limits))
            }
        }
        return (merged, warnings)
    }
}
