import Telemetry

/// Restart safety and reload: the engine's state rebuilt from what the store kept, and a new rule
/// book taken without losing open alerts or counters.
extension AlertEngine {
    /// Puts back an alert that was open when the gateway stopped, from its stored events in order.
    /// Its escalation deadline is recomputed from them; one already past fires at the next `tick`.
    public mutating func restore(history: [AlertEvent]) {
        guard let first = history.first, open[first.alertID] == nil else { return }
        var alert = OpenAlert(id: first.alertID, rule: first.rule, priority: first.priority, source: first.source,
                              stream: first.stream, resident: first.resident, count: 0, eventNumber: 0,
                              raisedAt: first.at, active: true, tier: 1, owner: .orphan)
        for e in history {
            alert.eventNumber = e.number
            alert.count = e.count
            alert.rule = e.rule
            alert.priority = e.priority
            switch e.kind {
            case .raised, .updated:
                let resumed = !alert.active
                alert.active = true
                alert.value = e.value
                alert.readingTS = e.readingTS
                alert.readingSeq = e.readingSeq
                if alert.acknowledgedBy == nil, let timeout = escalation.timeout(e.priority) {
                    let due = e.at + timeout
                    if e.kind == .raised || resumed || alert.escalationDue.map({ due < $0 }) ?? true { alert.escalationDue = due }
                }
            case .escalated:
                alert.tier = e.tier ?? alert.tier + 1
                alert.escalationDue = escalation.timeout(e.priority).map { e.at + $0 }
            case .acknowledged:
                alert.acknowledgedBy = e.by ?? "?"
                alert.escalationDue = nil
            case .resolved:
                alert.active = false
                alert.escalationDue = nil
            }
            if e.closes { return }
        }
        alert.tier = min(alert.tier, escalation.tiers)

        if let condition = ECGCondition(rule: alert.rule, stream: alert.stream) {
            let d = Int(deviceIndex(alert.source, kind: .ecg))
            devices[d].ecgAlerts[condition.rawValue] = alert.id
            alert.owner = .ecg(device: Int32(d), condition: condition)
        } else if alert.rule == "device.unregistered" {
            let d = Int(deviceIndex(alert.source, kind: alert.stream))
            devices[d].unregisteredAlert = alert.id
            devices[d].flaggedUnregistered = true
            alert.owner = .registration(device: Int32(d))
        } else if alert.rule == "device.silent" {
            let d = Int(series[Int(seriesIndex(alert.source, alert.stream))].device)
            devices[d].silentAlert = alert.id
            alert.owner = .silence(device: Int32(d))
        } else if let (stream, position) = alert.rule == "sos.call"
                    ? (StreamKind.sos, 0)
                    : compiled.familyOfRule[alert.rule].map({ (rules.families[$0].stream, compiled.positions[$0]) }) {
            let subject = subjectIndex(series: seriesIndex(alert.source, stream), resident: alert.resident)
            setAlert(alert.id, slot: familySlot(subject, position), subject: subject)
            alert.owner = .family(subject: subject, position: Int32(position))
        }
        if let due = alert.escalationDue { timers.push(TimerQueue.Entry(due: due, alert: alert.id)) }
        open[alert.id] = alert
    }

    /// Replays a stored reading into the per-stream state (recent sequence numbers, condition
    /// delay counters, rate windows) without raising or resolving anything: what the engine knew
    /// of the device before the restart. Feed each series' recent readings in order.
    public mutating func warm(_ reading: Reading) {
        let s = seriesIndex(reading.source, reading.stream)
        if series[Int(s)].window.contains(seq: reading.seq, ts: reading.ts) { return }
        _ = series[Int(s)].window.record(seq: reading.seq, ts: reading.ts)
        guard reading.stream != .sos else { return }
        let subject = subjectIndex(series: s, resident: reading.resident)
        var none: [AlertEvent] = []
        let measures = Measures(reading.value)
        for (position, family) in compiled.families(of: reading.stream).enumerated() {
            evaluate(subject: subject, position: position, family: Int(family), measures, reading, now: 0,
                     lifecycle: false, into: &none)
        }
    }

    /// Sets a device's silence clock to the gateway time of its last stored message.
    public mutating func restoreHeard(_ source: DeviceAddress, stream: StreamKind, at: Int64) {
        _ = heard(device: series[Int(seriesIndex(source, stream))].device, stream: stream, now: at)
    }

    /// Takes a new rule book. Open alerts, delay counters and rate windows carry over by family
    /// name; an open alert whose rule is gone stays on the board until acknowledged.
    public mutating func replaceRules(_ book: RuleBook) {
        let old = compiled
        let oldFamilies = rules.families
        rules = book
        compiled = CompiledRules(book)
        var states: [FamilyState] = []
        states.reserveCapacity(familyStates.count)
        for sub in subjects.indices {
            let stream = series[Int(subjects[sub].series)].stream
            subjects[sub].ruleSet = compiled.ruleSet(resident: subjects[sub].resident, device: devices[Int(series[Int(subjects[sub].series)].device)].address)
            let first = Int(subjects[sub].firstFamily)
            subjects[sub].firstFamily = Int32(states.count)
            if stream == .sos {
                states.append(familyStates[first])
                continue
            }
            let oldIndices = Array(old.families(of: stream).map(Int.init))
            let before = familyStates[first..<(first + oldIndices.count)]
            var after: [FamilyState] = []
            for f in compiled.families(of: stream).map(Int.init) {
                let name = book.families[f].name
                guard let p = oldIndices.firstIndex(where: { oldFamilies[$0].name == name }) else {
                    after.append(FamilyState())
                    continue
                }
                var state = before[first + p]
                // A family that changed between values and rates starts its window afresh.
                if oldFamilies[oldIndices[p]].rateWindowMillis != book.families[f].rateWindowMillis {
                    state = FamilyState(alert: state.alert)
                }
                after.append(state)
            }
            for state in before {
                guard let id = state.alert else { continue }
                if let q = after.firstIndex(where: { $0.alert == id }) {
                    open[id]?.owner = .family(subject: Int32(sub), position: Int32(q))
                } else {
                    open[id]?.owner = .orphan
                }
            }
            states.append(contentsOf: after)
        }
        familyStates = states
        for sub in subjects.indices {
            let first = Int(subjects[sub].firstFamily)
            let end = sub + 1 < subjects.count ? Int(subjects[sub + 1].firstFamily) : familyStates.count
            subjects[sub].active = Int32(familyStates[first..<end].count { $0.alert != nil || $0.pendingCount > 0 })
        }
    }
}
