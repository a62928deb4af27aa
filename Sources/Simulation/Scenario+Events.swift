import Telemetry
import Yams

extension ScenarioParser {
    /// `- at: 30m` with a device and one action.
    func event(_ node: Node, _ s: Scenario) throws(ScenarioError) -> ScriptedEvent {
        let r = reader
        var at: Int64?
        var deviceID: String?
        var action: ScriptedEvent.Action?
        var forMillis: Int64?
        var over: Int64?
        var hold: Int64 = 0
        var by = "sim-nurse"
        var setValues: [Measure: Double]?
        var rampValues: [Measure: Double]?
        var ackRule: String?
        func one(_ a: ScriptedEvent.Action, _ n: Node) throws(ScenarioError) {
            guard action == nil else { throw r.error(n, "an event does one thing; split it into two events") }
            action = a
        }
        try r.walk(node, [
            "at": { n throws(ScenarioError) in at = try r.duration(n) },
            "device": { n throws(ScenarioError) in deviceID = try r.string(n) },
            "set": { n throws(ScenarioError) in setValues = try values(n); try one(.set([:], for: 0), n) },
            "ramp": { n throws(ScenarioError) in rampValues = try values(n); try one(.ramp([:], over: 0, hold: 0), n) },
            "for": { n throws(ScenarioError) in forMillis = try r.duration(n) },
            "over": { n throws(ScenarioError) in over = try r.duration(n) },
            "hold": { n throws(ScenarioError) in hold = try r.duration(n) },
            "sos": { n throws(ScenarioError) in
                let cause = try r.string(n)
                guard ["button", "fall", "pull_cord", "voice", "other"].contains(cause) else {
                    throw r.error(n, "sos: expected button, fall, pull_cord, voice or other")
                }
                try one(.call(cause: cause), n)
            },
            "cancel": { n throws(ScenarioError) in _ = try r.bool(n); try one(.cancel, n) },
            "silent": { n throws(ScenarioError) in
                if n.bool == true { try one(.silent(for: nil), n) } else { try one(.silent(for: try r.duration(n)), n) }
            },
            "flat": { n throws(ScenarioError) in try one(.flat(for: try r.duration(n)), n) },
            "duplicate": { n throws(ScenarioError) in _ = try r.bool(n); try one(.duplicate, n) },
            "out_of_order": { n throws(ScenarioError) in _ = try r.bool(n); try one(.outOfOrder, n) },
            "reboot": { n throws(ScenarioError) in _ = try r.bool(n); try one(.reboot, n) },
            "malformed": { n throws(ScenarioError) in
                guard let kind = Malformation(rawValue: try r.string(n)) else {
                    throw r.error(n, "malformed: expected one of \(Malformation.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                try one(.malformed(kind), n)
            },
            "acknowledge": { n throws(ScenarioError) in ackRule = try r.string(n); try one(.acknowledge(rule: "", by: ""), n) },
            "by": { n throws(ScenarioError) in by = try r.string(n) },
        ])
        guard let at else { throw r.error(node, "an event needs at: its scenario time, e.g. 30m") }
        guard at < s.durationMillis else { throw r.error(node, "at \(SimDuration.text(at)) is after the scenario's end (\(SimDuration.text(s.durationMillis)))") }
        guard let deviceID else { throw r.error(node, "an event needs the device it happens to") }
        guard let device = s.device(deviceID) else { throw r.error(node, "device '\(deviceID)' is not in the scenario") }
        guard var action else {
            throw r.error(node, "an event needs an action: set, ramp, sos, cancel, silent, flat, duplicate, out_of_order, reboot, malformed or acknowledge")
        }
        switch action {
        case .set:
            action = .set(setValues!, for: forMillis ?? 0)
            try check(setValues!, device, node)
        case .ramp:
            guard let over, over > 0 else { throw r.error(node, "ramp needs over: DURATION, how long the values take to move") }
            action = .ramp(rampValues!, over: over, hold: hold)
            try check(rampValues!, device, node)
        case .call, .cancel:
            guard device.stream == .sos else { throw r.error(node, "device '\(deviceID)' is not an emergency-call (sos) device") }
        case .flat:
            guard device.stream == .ecg else { throw r.error(node, "device '\(deviceID)' is not an ECG: only an ECG goes flat") }
        case .acknowledge:
            action = .acknowledge(rule: ackRule!, by: by)
        default:
            break
        }
        return ScriptedEvent(at: at, device: deviceID, action: action, line: node.mark?.line ?? 0)
    }

    private func check(_ values: [Measure: Double], _ device: SimDevice, _ node: Node) throws(ScenarioError) {
        for measure in values.keys {
            let carried = measure == .battery ? device.heartbeat != nil : measure.stream == device.stream
            guard carried else { throw reader.error(node, "device '\(device.id)' does not send \(measure.rawValue)") }
        }
    }

    /// `- rule: bp.crisis` (with event, priority, device, resident, after, within, count), or
    /// `- none: [glucose.low]`.
    func expectation(_ node: Node, _ s: Scenario) throws(ScenarioError) -> AlertExpectation {
        let r = reader
        var rule: String?
        var none: [String]?
        var event = "raised"
        var count = 1
        var e = AlertExpectation(kind: .none(rules: []), after: 0, until: nil, line: node.mark?.line ?? 0)
        var within: Int64?
        try r.walk(node, [
            "rule": { n throws(ScenarioError) in rule = try r.string(n) },
            "none": { n throws(ScenarioError) in
                let rules = try r.strings(n)
                none = rules == ["any"] ? [] : rules
            },
            "event": { n throws(ScenarioError) in
                event = try r.string(n)
                guard ["raised", "updated", "escalated", "acknowledged", "resolved"].contains(event) else {
                    throw r.error(n, "event: expected raised, updated, escalated, acknowledged or resolved")
                }
            },
            "priority": { n throws(ScenarioError) in
                let p = try r.string(n)
                guard ["high", "medium", "low"].contains(p) else { throw r.error(n, "priority: expected high, medium or low") }
                e.priority = p
            },
            "device": { n throws(ScenarioError) in
                let id = try r.string(n)
                guard s.device(id) != nil else { throw r.error(n, "device '\(id)' is not in the scenario") }
                e.device = id
            },
            "resident": { n throws(ScenarioError) in e.resident = try r.string(n) },
            "after": { n throws(ScenarioError) in e.after = try r.duration(n) },
            "within": { n throws(ScenarioError) in within = try r.duration(n) },
            "until": { n throws(ScenarioError) in e.until = try r.duration(n) },
            "count": { n throws(ScenarioError) in count = try r.int(n, 1...1_000_000) },
        ])
        if let within { e.until = e.after + within }
        switch (rule, none) {
        case (let rule?, nil): e.kind = .event(event, rule: rule, count: count)
        case (nil, let rules?): e.kind = .none(rules: rules)
        default: throw r.error(node, "an expectation names either rule: (an alert that must come) or none: (rules that must stay quiet)")
        }
        if let until = e.until, until <= e.after { throw r.error(node, "the window closes before it opens") }
        return e
    }
}
