import Telemetry

/// The rule book arranged for the hot path: plain values in flat arrays, so evaluating a family
/// copies no reference and retains nothing. Each override is a rule set of its own (the same
/// families and rules, its limits in place), selected once per subject.
struct CompiledRules: Sendable {
    /// One family of one rule set.
    struct Family: Sendable {
        var firstCondition: Int32
        var conditionCount: Int32
        /// Rate-of-change window in ms; 0 when the family compares values.
        var rateWindow: Int64
        var rateMeasure: Int32
        /// Condition delay: readings (0: none) and ms (0: none).
        var delayReadings: Int32
        var delayMillis: Int64
        /// Index of the family's first rule in `ruleIDs` and `priorities` (most severe first).
        var firstRule: Int32
    }

    /// One condition, arranged to be checked without a branch on its kind: a limit below
    /// (`< L`, `<= L`) is a limit above on the negated value, so every check is `x > limit` or
    /// `x >= limit` with `x = sign × value`, and clear is `x <= clearLimit` or `x < clearLimit`.
    struct Cond: Sendable {
        var measure: Int32
        var rule: Int32
        var sign: Double
        var limit: Double
        var clearLimit: Double
        var strict: Bool

        init(_ c: Condition, rule: Int32, margin: Double) {
            measure = Int32(Measure.allCases.firstIndex(of: c.measure)!)
            self.rule = rule
            let lower = c.comparison == .below || c.comparison == .atMost
            sign = lower ? -1 : 1
            limit = sign * c.limit
            clearLimit = limit - margin
            strict = c.comparison == .above || c.comparison == .below
        }

        @inline(__always)
        func isMet(by v: Double) -> Bool {
            let x = sign * v
            return strict ? x > limit : x >= limit
        }

        @inline(__always)
        func isClear(of v: Double) -> Bool {
            let x = sign * v
            return strict ? x <= clearLimit : x < clearLimit
        }
    }

    /// A value condition in the per-measure index: met when `sign × value` passes `limit`.
    struct IndexEntry: Sendable {
        var limit: Double
        var strict: Bool
        /// The family's position among its stream's families.
        var position: Int32
    }

    var familyCount: Int
    /// Each rule set's value conditions by measure and sign, sorted by limit: the conditions a
    /// value meets are a prefix, found by binary search. Key `(set × measures + measure) × 2 +
    /// (sign < 0 ? 1 : 0)`; entries `indexEntries[indexStart[key]..<indexStart[key + 1]]`.
    var indexEntries: [IndexEntry] = []
    var indexStart: [Int32] = [0]
    /// Positions of each stream's rate-of-change families (evaluated on every reading, to keep
    /// their windows): `ratePositions[rateStart[k]..<rateStart[k + 1]]`.
    var ratePositions: [Int32] = []
    var rateStart: [Int32] = [0]
    /// `familyCount` entries per rule set; set 0 holds the station's limits.
    var families: [Family] = []
    var conditions: [Cond] = []
    var ruleIDs: [String] = []
    var priorities: [Priority] = []
    var residentRuleSet: [String: Int32] = [:]
    var deviceRuleSet: [DeviceAddress: Int32] = [:]
    /// Family indices by stream: stream k's families are
    /// `streamFamilies[streamStart[k]..<streamStart[k + 1]]` (k = `StreamKind.rawValue`).
    var streamFamilies: [Int32]
    var streamStart: [Int32]
    /// Family index → its position among its stream's families.
    var positions: [Int]
    /// Rule id → family index.
    var familyOfRule: [String: Int] = [:]
    var ruleSetCount = 0

    init(_ book: RuleBook) {
        familyCount = book.families.count
        let byStream = StreamKind.allCases.map { stream in
            book.families.indices.filter { book.families[$0].stream == stream }
        }
        streamFamilies = byStream.flatMap { $0.map(Int32.init) }
        streamStart = byStream.reduce(into: [0]) { starts, list in starts.append(starts.last! + Int32(list.count)) }
        positions = book.families.indices.map { f in
            byStream[Int(book.families[f].stream.rawValue)].firstIndex(of: f)!
        }
        for (f, family) in book.families.enumerated() {
            for rule in family.rules {
                familyOfRule[rule.id] = f
                ruleIDs.append(rule.id)
                priorities.append(rule.priority)
            }
        }
        for stream in StreamKind.allCases {
            for (position, f) in byStream[Int(stream.rawValue)].enumerated() where book.families[f].rateWindowMillis != nil {
                ratePositions.append(Int32(position))
            }
            rateStart.append(Int32(ratePositions.count))
        }
        append(book.families)
        for override in book.overrides {
            var families = book.families
            for (ruleID, conditions) in override.limits {
                guard let f = familyOfRule[ruleID], let r = families[f].rules.firstIndex(where: { $0.id == ruleID }) else { continue }
                families[f].rules[r].conditions = conditions
            }
            let index = Int32(ruleSetCount)
            append(families)
            switch override.subject {
            case .resident(let id): residentRuleSet[id] = index
            case .device(let address): deviceRuleSet[address] = index
            }
        }
    }

    private mutating func append(_ set: [RuleFamily]) {
        var firstRule: Int32 = 0
        for family in set {
            let first = Int32(conditions.count)
            for (r, rule) in family.rules.enumerated() {
                for c in rule.conditions {
                    conditions.append(Cond(c, rule: Int32(r), margin: family.hysteresisMargin))
                }
            }
            families.append(Family(
                firstCondition: first, conditionCount: Int32(conditions.count) - first,
                rateWindow: family.rateWindowMillis ?? 0,
                rateMeasure: Int32(Measure.allCases.firstIndex(of: family.rateMeasure ?? .glucose)!),
                delayReadings: Int32(family.delay?.readings ?? 0), delayMillis: family.delay?.millis ?? 0, firstRule: firstRule))
            firstRule += Int32(family.rules.count)
        }
        // The index of this set's value conditions.
        for measure in Measure.allCases {
            var position: [Int: Int32] = [:]
            for (p, f) in set.indices.filter({ set[$0].stream == measure.stream }).enumerated() { position[f] = Int32(p) }
            for sign in [1.0, -1.0] {
                var entries: [IndexEntry] = []
                for (f, family) in set.enumerated() where family.rateWindowMillis == nil {
                    guard let p = position[f] else { continue }
                    for rule in family.rules {
                        for c in rule.conditions where c.measure == measure {
                            let cond = Cond(c, rule: 0, margin: 0)
                            if cond.sign == sign { entries.append(IndexEntry(limit: cond.limit, strict: cond.strict, position: p)) }
                        }
                    }
                }
                indexEntries.append(contentsOf: entries.sorted { $0.limit < $1.limit })
                indexStart.append(Int32(indexEntries.count))
            }
        }
        ruleSetCount += 1
    }

    /// Calls `body` with the position of each family of rule set `set` whose value conditions
    /// `measures` meet (a family can come more than once). It may name a family that is not met
    /// (that costs an evaluation, nothing else); it never leaves out one that is.
    @inline(__always)
    func forEachMet(set: Int32, _ measures: Measures, _ body: (Int32) -> Void) {
        let count = Int32(Measure.allCases.count)
        for m in 0..<count {
            let v = measures[m]
            if v.isNaN { continue }
            for signIndex in 0..<2 {
                let key = Int((set * count + m) * 2) + signIndex
                let start = Int(indexStart[key])
                let end = Int(indexStart[key + 1])
                if start == end { continue }
                let x = signIndex == 0 ? v : -v
                // The first entry whose limit is above x: every one before it is met, or (a
                // strict limit equal to x) nearly so.
                var lo = start
                var hi = end
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if indexEntries[mid].limit <= x { lo = mid + 1 } else { hi = mid }
                }
                for i in start..<lo { body(indexEntries[i].position) }
            }
        }
    }

    /// The indices of `stream`'s families, in the order of a subject's family states.
    func families(of stream: StreamKind) -> ArraySlice<Int32> {
        let k = Int(stream.rawValue)
        return streamFamilies[Int(streamStart[k])..<Int(streamStart[k + 1])]
    }

    /// The limits for a reading of `resident` from `device`: the resident's override, else the
    /// device's, else the station's.
    func ruleSet(resident: String?, device: DeviceAddress) -> Int32 {
        if ruleSetCount == 1 { return 0 }
        if let resident, let set = residentRuleSet[resident] { return set }
        return deviceRuleSet[device] ?? 0
    }
}

/// The numbers a reading carries, read once per reading: NaN where it has none. In the order
/// of `Measure.allCases`, so a condition finds its number by index, without a branch.
struct Measures {
    var values: (Double, Double, Double, Double, Double) = (.nan, .nan, .nan, .nan, .nan)

    @inline(__always)
    init(_ value: ReadingValue) {
        switch value {
        case .bloodPressure(let bp): values = (bp.systolic, bp.diastolic, bp.pulse ?? .nan, .nan, .nan)
        case .glucose(let g): values.3 = g.mgdl
        case .status(let s): values.4 = s.battery ?? .nan
        case .ecg, .sos: break
        }
    }

    @inline(__always)
    subscript(_ index: Int32) -> Double {
        withUnsafeBytes(of: values) { $0.load(fromByteOffset: Int(index) * 8, as: Double.self) }
    }
}
