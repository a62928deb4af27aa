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

    /// The measure's value in `value`, or nil when the reading does not carry it.
    @inline(__always)
    public func read(_ value: ReadingValue) -> Double? {
        switch (self, value) {
        case (.systolic, .bloodPressure(let bp)): bp.systolic
        case (.diastolic, .bloodPressure(let bp)): bp.diastolic
        case (.pulse, .bloodPressure(let bp)): bp.pulse
        case (.glucose, .glucose(let g)): g.mgdl
        case (.battery, .status(let s)): s.battery
        default: nil
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

    /// Whether `v` meets the condition.
    @inline(__always)
    public func isMet(by v: Double) -> Bool {
        switch comparison {
        case .atLeast: v >= limit
        case .above: v > limit
        case .below: v < limit
        case .atMost: v <= limit
        }
    }

    /// Whether `v` is clear of the limit by `margin` on the normal side (hysteresis):
    /// with ≥ 160 and a margin of 5, clear below 155.
    @inline(__always)
    public func isClear(of v: Double, margin: Double) -> Bool {
        switch comparison {
        case .atLeast: v < limit - margin
        case .above: v <= limit - margin
        case .below: v >= limit + margin
        case .atMost: v > limit + margin
        }
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
