/// What a scenario's expectations made of the alert events that came.
public struct Verification: Sendable {
    public struct Outcome: Sendable {
        public var expectation: AlertExpectation
        /// The events that met it (for `none`: the ones that broke it).
        public var matched: [AlertObservation]
        public var passed: Bool
    }

    public var outcomes: [Outcome]
    /// Raised or escalated events no expectation names.
    public var unexpected: [AlertObservation]
    public var failsOnUnexpected: Bool

    public var passed: Bool { outcomes.allSatisfy(\.passed) && (unexpected.isEmpty || !failsOnUnexpected) }

    /// Matches `observed` (in arrival order) to the expectations: each event meets the first
    /// expectation still short of its count whose kind, rule, fields and window it fits.
    public init(_ expectations: [AlertExpectation], observed: [AlertObservation], endOffset: Int64, failsOnUnexpected: Bool) {
        var matched = Array(repeating: [AlertObservation](), count: expectations.count)
        var unexpected: [AlertObservation] = []
        for o in observed {
            var named = false
            for (i, e) in expectations.enumerated() where Self.fits(o, e, endOffset) {
                switch e.kind {
                case .none(let rules):
                    if rules.isEmpty || rules.contains(o.rule) { matched[i].append(o); named = true }
                case .event(let event, let rule, let count):
                    if !named, o.event == event, o.rule == rule, matched[i].count < count {
                        matched[i].append(o)
                        named = true
                    }
                }
            }
            if !named, o.event == "raised" || o.event == "escalated" { unexpected.append(o) }
        }
        outcomes = expectations.enumerated().map { i, e in
            switch e.kind {
            case .none: Outcome(expectation: e, matched: matched[i], passed: matched[i].isEmpty)
            case .event(_, _, let count): Outcome(expectation: e, matched: matched[i], passed: matched[i].count == count)
            }
        }
        self.unexpected = unexpected
        self.failsOnUnexpected = failsOnUnexpected
    }

    private static func fits(_ o: AlertObservation, _ e: AlertExpectation, _ endOffset: Int64) -> Bool {
        if let p = e.priority, p != o.priority { return false }
        if let d = e.device, d != o.device { return false }
        if let r = e.resident, r != o.resident { return false }
        return o.offset >= e.after && o.offset <= (e.until ?? endOffset)
    }
}
