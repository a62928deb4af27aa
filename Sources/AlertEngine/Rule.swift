import Telemetry

/// A number a rule can look at in a reading.
public enum Measure: String, Sendable, CaseIterable {
    case systolic, diastolic, pulse, glucose, battery

    /// The stream that carries this measure.
    public var stream: StreamKind {
        switch self {
        case .systolic, .diastolic, .pulse: .bp
        case .glucose: .glucose
        case .battery: .status
        }
    }
}

/// One limit: `measure comparison limit`, e.g. systolic ≥ 180.
public struct Condition: Sendable, Equatable {
    public enum Comparison: String, Sendable {
        case atLeast = ">=", above = ">", below = "<", atMost = "<="
    }

    public var measure: Measure
    public var comparison: Comparison
    public var limit: Double

    public init(_ measure: Measure, _ comparison: Comparison, _ limit: Double) {
        self.measure = measure
        self.comparison = comparison
        self.limit = limit
    }
}

/// A rule: met when any of its conditions is met.
public struct ThresholdRule: Sendable, Equatable {
    /// Rule id from PROTOCOL.md §2, e.g. `bp.crisis`.
    public var id: String
    public var priority: Priority
    public var conditions: [Condition]

    public init(id: String, priority: Priority, conditions: [Condition]) {
        self.id = id
        self.priority = priority
        self.conditions = conditions
    }
}

/// How long a condition must hold before it raises an alert (an IEC 60601-1-8 alarm condition
/// delay): for `readings` consecutive violating readings, or while violating readings span
/// `millis` of device time, whichever comes first. Never used for `sos.call` or `ecg.pause`.
public struct ConditionDelay: Sendable, Equatable {
    public var readings: Int?
    public var millis: Int64?

    public init(readings: Int? = nil, millis: Int64? = nil) {
        self.readings = readings
        self.millis = millis
    }
}

/// Rules that share one open alert per device and resident, e.g. `bp.high` and `bp.crisis`.
/// The most severe rule a reading meets decides; the alert resolves when the reading is clear of
/// every condition of the family by the margin.
public struct RuleFamily: Sendable, Equatable {
    /// The family's name: its first rule's id.
    public var name: String
    public var stream: StreamKind
    /// Most severe first.
    public var rules: [ThresholdRule]
    public var hysteresisMargin: Double
    /// How long a condition must hold before it raises; nil raises on the first violating reading.
    public var delay: ConditionDelay?
    /// When set, the conditions compare the measure's rate of change, in its unit a minute, over
    /// this many ms of device time (e.g. glucose falling 2 mg/dL a minute over 15 minutes).
    public var rateWindowMillis: Int64?

    public init(name: String, stream: StreamKind, rules: [ThresholdRule], hysteresisMargin: Double,
                delay: ConditionDelay? = nil, rateWindowMillis: Int64? = nil) {
        self.name = name
        self.stream = stream
        self.rules = rules.sorted { $0.priority > $1.priority }
        self.hysteresisMargin = hysteresisMargin
        self.delay = delay
        self.rateWindowMillis = rateWindowMillis
    }

    /// The measure a rate-of-change family follows (its conditions share one).
    var rateMeasure: Measure? {
        rateWindowMillis == nil ? nil : rules.first?.conditions.first?.measure
    }
}
