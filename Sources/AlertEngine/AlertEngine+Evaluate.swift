import Telemetry

extension AlertEngine {
    /// One family against one reading of a subject: count the condition delay, then raise, update
    /// (possibly to a more severe rule), or resolve once the reading is clear of every condition
    /// by the hysteresis margin. With `lifecycle` false only the subject's state moves (warming
    /// the engine after a restart).
    mutating func evaluate(subject: Int32, position: Int, family f: Int, _ reading: Reading, now: Int64,
                           lifecycle: Bool, into events: inout [AlertEvent]) {
        let sub = Int(subject)
        let family = compiled.ruleSets[Int(subjects[sub].ruleSet)][f]
        var rate: Double?
        if let window = family.rateWindowMillis {
            guard let measure = family.rateMeasure, let v = measure.read(reading.value) else { return }
            if subjects[sub].families[position].rate == nil {
                subjects[sub].families[position].rate = RateWindow()
            }
            guard let slope = subjects[sub].families[position].rate!.add(ts: reading.ts, value: v, window: window) else { return }
            rate = slope
        }

        var applicable = false
        var clear = true
        var met = -1
        for r in family.rules.indices {
            for condition in family.rules[r].conditions {
                let v: Double
                if let rate {
                    v = rate
                } else {
                    guard let x = condition.measure.read(reading.value) else { continue }
                    v = x
                }
                applicable = true
                if met < 0, condition.isMet(by: v) { met = r }
                if !condition.isClear(of: v, margin: family.hysteresisMargin) { clear = false }
            }
        }
        guard applicable else { return }
        if met >= 0 {
            if subjects[sub].families[position].pendingCount == 0 { subjects[sub].families[position].pendingSince = reading.ts }
            subjects[sub].families[position].pendingCount &+= 1
        } else {
            subjects[sub].families[position].pendingCount = 0
        }
        guard lifecycle else { return }

        if met >= 0 {
            let rule = family.rules[met]
            if let id = subjects[sub].families[position].alert {
                update(id, rule: rule.id, priority: rule.priority, reading, now: now, into: &events)
            } else if family.delay?.isSustained(count: subjects[sub].families[position].pendingCount,
                                                span: reading.ts - subjects[sub].families[position].pendingSince) ?? true {
                let id = raise(.family(subject: subject, position: Int32(position)), rule: rule.id, priority: rule.priority,
                               source: reading.source, stream: reading.stream, resident: reading.resident, reading,
                               now: now, into: &events)
                subjects[sub].families[position].alert = id
            }
        } else if clear, let id = subjects[sub].families[position].alert {
            resolve(id, reading, now: now, cancelled: false, into: &events)
        }
    }

    /// `sos.call`: every call raises or updates the device's emergency alert, at once (no delay);
    /// the resident's cancel resolves it.
    mutating func evaluateEmergencyCall(_ call: EmergencyCall, subject: Int32, _ reading: Reading, now: Int64,
                                        into events: inout [AlertEvent]) {
        let sub = Int(subject)
        if call.cancel {
            if let id = subjects[sub].families[0].alert { resolve(id, reading, now: now, cancelled: true, into: &events) }
        } else if let id = subjects[sub].families[0].alert {
            update(id, rule: "sos.call", priority: rules.emergencyCallPriority, reading, now: now, into: &events)
        } else {
            subjects[sub].families[0].alert = raise(
                .family(subject: subject, position: 0), rule: "sos.call", priority: rules.emergencyCallPriority,
                source: reading.source, stream: .sos, resident: reading.resident, reading, now: now, into: &events)
        }
    }
}
