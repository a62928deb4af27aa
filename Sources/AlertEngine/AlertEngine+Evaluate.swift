import Telemetry

extension AlertEngine {
    /// One family against one reading of a subject: count the condition delay, then raise, update
    /// (possibly to a more severe rule), or resolve once the reading is clear of every condition
    /// by the hysteresis margin. With `lifecycle` false only the subject's state moves (warming
    /// the engine after a restart).
    @inline(__always)
    mutating func evaluate(subject: Int32, position: Int, family f: Int, _ measures: Measures, _ reading: Reading,
                           now: Int64, lifecycle: Bool, into events: inout [AlertEvent]) {
        let slot = familySlot(subject, position)
        let family = compiled.families[Int(subjects[Int(subject)].ruleSet) * compiled.familyCount + f]
        var rate = Double.nan
        if family.rateWindow > 0 {
            let v = measures[family.rateMeasure]
            guard !v.isNaN else { return }
            if familyStates[slot].rate < 0 {
                familyStates[slot].rate = Int32(rateWindows.count)
                rateWindows.append(RateWindow())
            }
            guard let slope = rateWindows[Int(familyStates[slot].rate)].add(ts: reading.ts, value: v, window: family.rateWindow) else { return }
            rate = slope
        }

        var applicable = false
        var clear = true
        var met = Int32.max
        let end = Int(family.firstCondition + family.conditionCount)
        for k in Int(family.firstCondition)..<end {
            let condition = compiled.conditions[k]
            let v = family.rateWindow > 0 ? rate : measures[condition.measure]
            if v.isNaN { continue }
            applicable = true
            if condition.rule < met && condition.isMet(by: v) { met = condition.rule }
            if !condition.isClear(of: v) { clear = false }
        }
        guard applicable else { return }
        if met != .max {
            if familyStates[slot].pendingCount == 0 {
                familyStates[slot].pendingSince = reading.ts
                if familyStates[slot].alert == nil { subjects[Int(subject)].active += 1 }
            }
            familyStates[slot].pendingCount &+= 1
        } else if familyStates[slot].pendingCount != 0 {
            familyStates[slot].pendingCount = 0
            if familyStates[slot].alert == nil { subjects[Int(subject)].active -= 1 }
        }
        guard lifecycle else { return }

        if met != .max {
            let rule = Int(family.firstRule + met)
            if let id = familyStates[slot].alert {
                update(id, rule: compiled.ruleIDs[rule], priority: compiled.priorities[rule], reading, now: now, into: &events)
            } else if isSustained(family, count: familyStates[slot].pendingCount, span: reading.ts - familyStates[slot].pendingSince) {
                let id = raise(.family(subject: subject, position: Int32(position)), rule: compiled.ruleIDs[rule],
                               priority: compiled.priorities[rule], source: reading.source, stream: reading.stream,
                               resident: reading.resident, reading, now: now, into: &events)
                setAlert(id, slot: slot, subject: subject)
            }
        } else if clear, let id = familyStates[slot].alert {
            resolve(id, reading, now: now, cancelled: false, into: &events)
        }
    }

    /// Gives the family at `slot` its open alert (nil: none), keeping the subject's count of
    /// active families.
    mutating func setAlert(_ id: String?, slot: Int, subject: Int32) {
        let was = familyStates[slot].alert != nil
        familyStates[slot].alert = id
        if familyStates[slot].pendingCount == 0 && was != (id != nil) { subjects[Int(subject)].active += id != nil ? 1 : -1 }
    }

    /// Whether a condition has held long enough to raise (no delay: at once).
    @inline(__always)
    private func isSustained(_ family: CompiledRules.Family, count: Int32, span: Int64) -> Bool {
        if family.delayReadings == 0 && family.delayMillis == 0 { return true }
        if family.delayReadings > 0 && count >= family.delayReadings { return true }
        if family.delayMillis > 0 && span >= family.delayMillis { return true }
        return false
    }

    /// `sos.call`: every call raises or updates the device's emergency alert, at once (no delay);
    /// the resident's cancel resolves it.
    mutating func evaluateEmergencyCall(_ call: EmergencyCall, subject: Int32, _ reading: Reading, now: Int64,
                                        into events: inout [AlertEvent]) {
        let slot = familySlot(subject, 0)
        if call.cancel {
            if let id = familyStates[slot].alert { resolve(id, reading, now: now, cancelled: true, into: &events) }
        } else if let id = familyStates[slot].alert {
            update(id, rule: "sos.call", priority: rules.emergencyCallPriority, reading, now: now, into: &events)
        } else {
            let id = raise(.family(subject: subject, position: 0), rule: "sos.call", priority: rules.emergencyCallPriority,
                           source: reading.source, stream: .sos, resident: reading.resident, reading, now: now, into: &events)
            setAlert(id, slot: slot, subject: subject)
        }
    }
}
