import Telemetry

extension AlertEngine {
    /// One family against one reading: raise, update (possibly to a more severe rule), or
    /// resolve once the reading is clear of every condition by the hysteresis margin.
    mutating func evaluate(family index: Int, _ reading: Reading, now: Int64, into events: inout [AlertEvent]) {
        let family = rules.families[index]
        var applicable = false
        var clear = true
        var met: ThresholdRule?
        for rule in family.rules {
            for condition in rule.conditions {
                guard let v = condition.measure.read(reading.value) else { continue }
                applicable = true
                if met == nil, condition.isMet(by: v) { met = rule }
                if !condition.isClear(of: v, margin: family.hysteresisMargin) { clear = false }
            }
        }
        guard applicable else { return }
        let key = AlertKey(source: reading.source, family: index, resident: reading.resident)
        if let rule = met {
            violate(key, rule: rule.id, priority: rule.priority, reading, now: now, into: &events)
        } else if clear {
            resolve(key, reading, now: now, into: &events)
        }
    }

    /// `sos.call`: every call raises or updates the device's emergency alert; the resident's
    /// cancel resolves it.
    mutating func evaluateEmergencyCall(_ call: EmergencyCall, _ reading: Reading, now: Int64, into events: inout [AlertEvent]) {
        let key = AlertKey(source: reading.source, family: -1, resident: reading.resident)
        if call.cancel {
            resolve(key, reading, now: now, into: &events)
        } else {
            violate(key, rule: "sos.call", priority: rules.emergencyCallPriority, reading, now: now, into: &events)
        }
    }

    private mutating func violate(_ key: AlertKey, rule: String, priority: Priority, _ reading: Reading, now: Int64,
                                  into events: inout [AlertEvent]) {
        if var alert = open[key] {
            alert.count += 1
            alert.eventNumber += 1
            if priority > alert.priority {
                alert.rule = rule
                alert.priority = priority
            }
            open[key] = alert
            events.append(event(.updated, alert, reading, now: now))
        } else {
            let alert = OpenAlert(id: ids.next(now: now), rule: rule, priority: priority, count: 1, eventNumber: 1)
            open[key] = alert
            events.append(event(.raised, alert, reading, now: now))
        }
    }

    private mutating func resolve(_ key: AlertKey, _ reading: Reading, now: Int64, into events: inout [AlertEvent]) {
        guard var alert = open.removeValue(forKey: key) else { return }
        alert.eventNumber += 1
        events.append(event(.resolved, alert, reading, now: now))
    }

    private func event(_ kind: AlertEventKind, _ alert: OpenAlert, _ reading: Reading, now: Int64) -> AlertEvent {
        AlertEvent(alertID: alert.id, number: alert.eventNumber, kind: kind, rule: alert.rule, priority: alert.priority,
                   source: reading.source, stream: reading.stream, resident: reading.resident, value: reading.value,
                   readingTS: reading.ts, readingSeq: reading.seq, at: now, count: alert.count)
    }
}
