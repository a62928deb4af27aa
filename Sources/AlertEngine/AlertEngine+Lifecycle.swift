import Telemetry

/// The named stages of an alert's life: raise, update, escalate, acknowledge, resolve, close.
extension AlertEngine {
    /// Raises a new alert and asks tier 1.
    mutating func raise(_ owner: OpenAlert.Owner, rule: String, priority: Priority, source: DeviceAddress,
                        stream: StreamKind, resident: String?, _ reading: Reading?, now: Int64,
                        into events: inout [AlertEvent]) -> String {
        let id = ids.next(now: now)
        var alert = OpenAlert(id: id, rule: rule, priority: priority, source: source, stream: stream, resident: resident,
                              count: reading == nil ? 0 : 1, eventNumber: 1, raisedAt: now, active: true, tier: 1,
                              value: reading?.value, readingTS: reading?.ts, readingSeq: reading?.seq, owner: owner)
        if let timeout = escalation.timeout(priority) {
            alert.escalationDue = now + timeout
            timers.push(TimerQueue.Entry(due: now + timeout, alert: id))
        }
        open[id] = alert
        events.append(event(.raised, alert, now: now))
        return id
    }

    /// A further violating reading: count it, take the more severe rule, and bring the next
    /// escalation forward if the priority rose.
    mutating func update(_ id: String, rule: String, priority: Priority, _ reading: Reading, now: Int64,
                         into events: inout [AlertEvent]) {
        guard let i = open.index(forKey: id) else { return }
        open.values[i].count += 1
        open.values[i].eventNumber += 1
        open.values[i].active = true
        if priority > open.values[i].priority {
            open.values[i].rule = rule
            open.values[i].priority = priority
        }
        open.values[i].value = reading.value
        open.values[i].readingTS = reading.ts
        open.values[i].readingSeq = reading.seq
        if open.values[i].acknowledgedBy == nil, let timeout = escalation.timeout(open.values[i].priority) {
            let due = now + timeout
            if open.values[i].escalationDue.map({ due < $0 }) ?? true {
                open.values[i].escalationDue = due
                timers.push(TimerQueue.Entry(due: due, alert: id))
            }
        }
        events.append(event(.updated, open.values[i], now: now))
    }

    /// The condition cleared (or the resident cancelled the call): `resolved`, and closed unless
    /// it latches and nobody has acknowledged it yet.
    mutating func resolve(_ id: String, _ reading: Reading?, now: Int64, cancelled: Bool, into events: inout [AlertEvent]) {
        guard let i = open.index(forKey: id), open.values[i].active else { return }
        open.values[i].active = false
        open.values[i].eventNumber += 1
        open.values[i].escalationDue = nil
        let closes = cancelled || open.values[i].acknowledgedBy != nil || !open.values[i].latches
        var resolved = event(.resolved, open.values[i], now: now, closes: closes)
        if let reading {
            resolved.value = reading.value
            resolved.readingTS = reading.ts
            resolved.readingSeq = reading.seq
        }
        events.append(resolved)
        if closes { close(id) }
    }

    /// A person took the alert: escalation stops. An emergency call ends with it; a latched alert
    /// whose condition has cleared closes.
    public mutating func acknowledge(_ id: String, by person: String, station: String? = nil, now: Int64) -> AcknowledgeOutcome {
        guard let i = open.index(forKey: id), station.map({ $0 == open.values[i].source.station }) ?? true else { return .notOpen }
        if let earlier = open.values[i].acknowledgedBy { return .alreadyAcknowledged(by: earlier) }
        open.values[i].acknowledgedBy = person
        open.values[i].eventNumber += 1
        open.values[i].escalationDue = nil
        // An emergency call ends with its acknowledgement; so does an alert whose rule a reload
        // removed, since no reading can resolve it any more.
        let endsHere = open.values[i].rule == "sos.call" || open.values[i].owner == .orphan
        var events = [event(.acknowledged, open.values[i], now: now, by: person, closes: !open.values[i].active)]
        if endsHere && open.values[i].active {
            open.values[i].active = false
            open.values[i].eventNumber += 1
            events.append(event(.resolved, open.values[i], now: now, by: person, closes: true))
        }
        if events[events.count - 1].closes { close(id) }
        return .acknowledged(events)
    }

    /// The escalation timer of `id` fired: ask the next tier (the top tier again once there).
    mutating func escalate(_ id: String, due: Int64, now: Int64, into events: inout [AlertEvent]) {
        guard let i = open.index(forKey: id), open.values[i].escalationDue == due,
              open.values[i].acknowledgedBy == nil, open.values[i].active else { return }
        open.values[i].tier = min(open.values[i].tier + 1, escalation.tiers)
        open.values[i].eventNumber += 1
        if let timeout = escalation.timeout(open.values[i].priority) {
            open.values[i].escalationDue = now + timeout
            timers.push(TimerQueue.Entry(due: now + timeout, alert: id))
        } else {
            open.values[i].escalationDue = nil
        }
        events.append(event(.escalated, open.values[i], now: now, tier: open.values[i].tier))
    }

    /// Takes a closed alert off the board and out of its owner.
    private mutating func close(_ id: String) {
        guard let alert = open.removeValue(forKey: id) else { return }
        switch alert.owner {
        case .family(let subject, let position):
            let slot = familySlot(subject, Int(position))
            if familyStates[slot].alert == id { setAlert(nil, slot: slot, subject: subject) }
        case .silence(let device):
            if devices[Int(device)].silentAlert == id { devices[Int(device)].silentAlert = nil }
        case .registration(let device):
            if devices[Int(device)].unregisteredAlert == id { devices[Int(device)].unregisteredAlert = nil }
        case .ecg(let device, let condition):
            if devices[Int(device)].ecgAlerts[condition.rawValue] == id { devices[Int(device)].ecgAlerts[condition.rawValue] = nil }
        case .orphan:
            break
        }
    }

    func event(_ kind: AlertEventKind, _ alert: OpenAlert, now: Int64, by: String? = nil, tier: Int? = nil,
               closes: Bool = false) -> AlertEvent {
        AlertEvent(alertID: alert.id, number: alert.eventNumber, kind: kind, rule: alert.rule, priority: alert.priority,
                   source: alert.source, stream: alert.stream, resident: alert.resident, value: alert.value,
                   readingTS: alert.readingTS, readingSeq: alert.readingSeq, at: now, count: alert.count,
                   by: by, tier: tier, closes: closes)
    }
}
