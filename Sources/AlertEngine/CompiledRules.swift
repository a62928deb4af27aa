import Telemetry

/// The rule book arranged for the hot path: the families of each stream, and one copy of the
/// families per override with its limits in place, so a reading looks up nothing but its subject.
struct CompiledRules: Sendable {
    /// Index 0 holds the station's limits; each override adds one.
    var ruleSets: [[RuleFamily]]
    var residentRuleSet: [String: Int32] = [:]
    var deviceRuleSet: [DeviceAddress: Int32] = [:]
    /// Family indices of each stream, by `StreamKind.rawValue`.
    var familiesByStream: [[Int]]
    /// Family index → (its position among its stream's families).
    var positions: [Int]
    /// Rule id → family index.
    var familyOfRule: [String: Int] = [:]

    init(_ book: RuleBook) {
        ruleSets = [book.families]
        let byStream = StreamKind.allCases.map { stream in
            book.families.indices.filter { book.families[$0].stream == stream }
        }
        familiesByStream = byStream
        positions = book.families.indices.map { f in
            byStream[Int(book.families[f].stream.rawValue)].firstIndex(of: f)!
        }
        for (f, family) in book.families.enumerated() {
            for rule in family.rules { familyOfRule[rule.id] = f }
        }
        for override in book.overrides {
            var families = book.families
            for (ruleID, conditions) in override.limits {
                guard let f = familyOfRule[ruleID], let r = families[f].rules.firstIndex(where: { $0.id == ruleID }) else { continue }
                families[f].rules[r].conditions = conditions
            }
            let index = Int32(ruleSets.count)
            ruleSets.append(families)
            switch override.subject {
            case .resident(let id): residentRuleSet[id] = index
            case .device(let address): deviceRuleSet[address] = index
            }
        }
    }

    /// The limits for a reading of `resident` from `device`: the resident's override, else the
    /// device's, else the station's.
    func ruleSet(resident: String?, device: DeviceAddress) -> Int32 {
        if ruleSets.count == 1 { return 0 }
        if let resident, let set = residentRuleSet[resident] { return set }
        return deviceRuleSet[device] ?? 0
    }
}
