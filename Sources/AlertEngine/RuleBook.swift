import Telemetry

/// `ecg.pause`, `ecg.irregular` and `ecg.signal` (PROTOCOL.md §2); a nil priority turns one
/// off. The ECG's heart rate is held to the `hr.extreme` family's limits.
public struct ECGRules: Sendable, Equatable {
    /// No detected beat for 3 s: high, never delayed (alerting.md §5).
    public var pause: Priority?
    /// Irregularly irregular rhythm sustained this long (ms).
    public var irregular: Priority?
    public var irregularForMillis: Int64
    /// Unusable signal (saturated, noisy) for longer than this (ms).
    public var signal: Priority?
    public var signalForMillis: Int64

    public init(pause: Priority? = .high, irregular: Priority? = .medium, irregularForMillis: Int64 = 60_000,
                signal: Priority? = .low, signalForMillis: Int64 = 30_000) {
        self.pause = pause
        self.irregular = irregular
        self.irregularForMillis = irregularForMillis
        self.signal = signal
        self.signalForMillis = signalForMillis
    }
}

/// The station's rules: threshold families by stream, the emergency call, silent devices, and the
/// family doctors' per-resident and per-device limits. Loaded from the rules file
/// (`systemd/rules.yaml` ships exactly `RuleBook.defaults`).
public struct RuleBook: Sendable, Equatable {
    public var families: [RuleFamily]
    /// Priority of `sos.call`.
    public var emergencyCallPriority: Priority
    /// `device.silent`; nil turns it off.
    public var silence: SilenceRule?
    /// Priority of `device.unregistered` (a reading from a device the registry does not know,
    /// once per device); nil turns it off.
    public var unregistered: Priority?
    /// The rules on what the ECG analysis finds: pauses, irregular rhythm, unusable signal.
    public var ecg: ECGRules
    /// Limits that replace the station's for one resident or one device; a resident's win.
    public var overrides: [RuleOverride]

    public init(families: [RuleFamily], emergencyCallPriority: Priority = .high, silence: SilenceRule? = SilenceRule(),
                unregistered: Priority? = .low, ecg: ECGRules = ECGRules(), overrides: [RuleOverride] = []) {
        self.families = families
        self.emergencyCallPriority = emergencyCallPriority
        self.silence = silence
        self.unregistered = unregistered
        self.ecg = ecg
        self.overrides = overrides
    }

    /// The rule with this id, and the index of its family.
    public func rule(_ id: String) -> (family: Int, rule: ThresholdRule)? {
        for (f, family) in families.enumerated() {
            if let rule = family.rules.first(where: { $0.id == id }) { return (f, rule) }
        }
        return nil
    }

    /// The default rules of PROTOCOL.md §2 for blood pressure, glucose, pulse, emergency calls,
    /// silent devices and battery. Sources: RESEARCH/alerting.md §2 (China 2018 grade 3
    /// hypertension, NEWS2, ADA hypoglycaemia levels 1 and 2, CGM rate-of-change practice).
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
        RuleFamily(name: "glucose.falling", stream: .glucose, rules: [
            ThresholdRule(id: "glucose.falling", priority: .medium, conditions: [.init(.glucose, .atMost, -2)]),
        ], hysteresisMargin: 1, rateWindowMillis: 15 * 60_000),
        RuleFamily(name: "device.battery", stream: .status, rules: [
            ThresholdRule(id: "device.battery", priority: .low, conditions: [.init(.battery, .atMost, 15)]),
        ], hysteresisMargin: 5),
    ])
}

/// `device.silent`: a technical alarm for a device that has sent nothing for longer than the
/// heartbeat allowance of its kind (the stream it measures); it resolves when the device speaks.
public struct SilenceRule: Sendable, Equatable {
    public var priority: Priority
    /// Allowance for a device whose kind has none of its own, ms of gateway time.
    public var defaultAllowanceMillis: Int64
    /// Allowances by the device's kind: the first stream other than `status` it sent.
    public var allowances: [StreamKind: Int64]

    public init(priority: Priority = .low, defaultAllowanceMillis: Int64 = 15 * 60_000, allowances: [StreamKind: Int64] = [:]) {
        self.priority = priority
        self.defaultAllowanceMillis = defaultAllowanceMillis
        self.allowances = allowances
    }

    func allowance(for kind: StreamKind) -> Int64 {
        allowances[kind] ?? defaultAllowanceMillis
    }
}

/// A family doctor's limits for one resident or one device: each named rule's conditions are
/// replaced; its priority, family and the rest of the book stay the station's.
public struct RuleOverride: Sendable, Equatable {
    public enum Subject: Sendable, Hashable {
        case resident(String)
        case device(DeviceAddress)
    }

    public var subject: Subject
    /// Rule id → the conditions that replace its own.
    public var limits: [String: [Condition]]

    public init(subject: Subject, limits: [String: [Condition]]) {
        self.subject = subject
        self.limits = limits
    }
}
