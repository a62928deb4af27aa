import Telemetry

/// The station's rules: threshold families by stream, plus the emergency call rule.
public struct RuleBook: Sendable, Equatable {
    public var families: [RuleFamily]
    /// Priority of `sos.call`.
    public var emergencyCallPriority: Priority

    public init(families: [RuleFamily], emergencyCallPriority: Priority = .high) {
        self.families = families
        self.emergencyCallPriority = emergencyCallPriority
    }

    /// The default rules of PROTOCOL.md §2 for blood pressure, glucose, pulse, emergency calls
    /// and battery. Sources: RESEARCH/alerting.md §2 (China 2018 grade 3 hypertension, NEWS2,
    /// ADA hypoglycaemia levels 1 and 2).
    public static let defaults = RuleBook(families: [
        RuleFamily(name: "bp.high", stream: .bp, rules: [
            ThresholdRule(id: "bp.crisis", priority: .high, conditions: [.init(.systolic, .atLeast, 180), .init(.diastolic, .atLeast, 110)]),
            ThresholdRule(id: "bp.high", priority: .medium, conditions: [.init(.systolic, .atLeast, 160), .init(.diastolic, .atLeast, 100)]),
        ], hysteresisMargin: 5),
        RuleFamily(name: "bp.low", stream: .bp, rules: [
            ThresholdRule(id: "bp.low", priority: .medium, conditions: [.init(.systolic, .below, 90), .init(.diastolic, .below, 60)]),
        ], hysteresisMargin: 5),
        RuleFamily(name: "hr.extreme", stream: .bp, rules: [
            ThresholdRule(id: "hr.extreme", priority: .high, conditions: [.init(.pulse, .below, 40), .init(.pulse, .above, 150)]),
        ], hysteresisMargin: 5),
        RuleFamily(name: "glucose.low", stream: .glucose, rules: [
            ThresholdRule(id: "glucose.very_low", priority: .high, conditions: [.init(.glucose, .below, 54)]),
            ThresholdRule(id: "glucose.low", priority: .medium, conditions: [.init(.glucose, .below, 70)]),
        ], hysteresisMargin: 5),
        RuleFamily(name: "glucose.high", stream: .glucose, rules: [
            ThresholdRule(id: "glucose.high", priority: .medium, conditions: [.init(.glucose, .above, 300)]),
        ], hysteresisMargin: 5),
        RuleFamily(name: "device.battery", stream: .status, rules: [
            ThresholdRule(id: "device.battery", priority: .low, conditions: [.init(.battery, .atMost, 15)]),
        ], hysteresisMargin: 5),
    ])
}
