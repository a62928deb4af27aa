import Telemetry

/// What the ECG analysis of a device can hold an alert for.
public enum ECGCondition: Int, Sendable, CaseIterable {
    case pause = 0, irregular, signal, heartRate

    /// Its rule id.
    public var rule: String {
        switch self {
        case .pause: "ecg.pause"
        case .irregular: "ecg.irregular"
        case .signal: "ecg.signal"
        case .heartRate: "hr.extreme"
        }
    }

    /// The condition of a stored alert: `hr.extreme` only when it came from the ECG.
    init?(rule: String, stream: StreamKind) {
        guard let c = Self.allCases.first(where: { $0.rule == rule }), c != .heartRate || stream == .ecg else { return nil }
        self = c
    }
}

/// The rules on a device's ECG analysis (PROTOCOL.md §2). The gateway runs the analysis and
/// reports what it found with the chunk it found it in; the engine keeps the alerts' lives:
/// `ecg.pause` at once, `ecg.irregular` and `ecg.signal` once sustained, and the ECG's heart
/// rate against the `hr.extreme` limits with their hysteresis.
extension AlertEngine {
    /// A pause found in this chunk, the last beat at `since` (ms): `ecg.pause`, raised at once;
    /// `ended` by a beat resolves it.
    public mutating func ecgPause(started since: Int64?, ended: Bool, chunk: Reading, now: Int64) -> [AlertEvent] {
        guard let priority = rules.ecg.pause else { return [] }
        var events: [AlertEvent] = []
        let d = Int(deviceIndex(chunk.source, kind: .ecg))
        if ended, let id = devices[d].ecgAlerts[ECGCondition.pause.rawValue] {
            resolve(id, summary(chunk), now: now, cancelled: false, into: &events)
        }
        if since != nil {
            // A new pause while the last one waits for its acknowledgement updates that alert.
            if let id = devices[d].ecgAlerts[ECGCondition.pause.rawValue] {
                update(id, rule: ECGCondition.pause.rule, priority: priority, summary(chunk), now: now, into: &events)
            } else {
                raiseECG(.pause, d, priority, chunk, now: now, into: &events)
            }
        }
        return events
    }

    /// The rhythm is (or is no longer) irregularly irregular, since `since` (ms of signal):
    /// `ecg.irregular` once it has lasted its time.
    public mutating func ecgRhythm(irregularSince since: Int64?, chunk: Reading, now: Int64) -> [AlertEvent] {
        guard let priority = rules.ecg.irregular else { return [] }
        return sustained(.irregular, since: since, forMillis: rules.ecg.irregularForMillis, priority: priority, chunk, now: now)
    }

    /// The signal is unusable (saturated, noisy) since `since`, or usable (nil): `ecg.signal`
    /// once it has lasted its delay.
    public mutating func ecgSignal(unusableSince since: Int64?, chunk: Reading, now: Int64) -> [AlertEvent] {
        guard let priority = rules.ecg.signal else { return [] }
        return sustained(.signal, since: since, forMillis: rules.ecg.signalForMillis, priority: priority, chunk, now: now)
    }

    /// The heart rate the ECG gives at a beat, against the `hr.extreme` limits (the resident's or
    /// the device's own when the doctor set them): raised past them, resolved back inside by the
    /// hysteresis margin.
    public mutating func ecgHeartRate(_ perMinute: Double, at ts: Int64, chunk: Reading, now: Int64) -> [AlertEvent] {
        guard let f = compiled.familyOfRule["hr.extreme"] else { return [] }
        let set = Int(compiled.ruleSet(resident: chunk.resident, device: chunk.source))
        let family = compiled.families[set * compiled.familyCount + f]
        var met: Int32 = .max
        var clear = true
        for k in Int(family.firstCondition)..<Int(family.firstCondition + family.conditionCount) {
            let condition = compiled.conditions[k]
            guard condition.measure == Int32(Measure.allCases.firstIndex(of: .pulse)!) else { continue }
            if condition.rule < met && condition.isMet(by: perMinute) { met = condition.rule }
            if !condition.isClear(of: perMinute) { clear = false }
        }
        var events: [AlertEvent] = []
        let d = Int(deviceIndex(chunk.source, kind: .ecg))
        var reading = summary(chunk)
        reading.ts = ts
        reading.value = .bloodPressure(BloodPressure(systolic: .nan, diastolic: .nan, pulse: (perMinute * 10).rounded() / 10))
        let open = devices[d].ecgAlerts[ECGCondition.heartRate.rawValue]
        if met != .max {
            let rule = Int(family.firstRule + met)
            if let id = open {
                update(id, rule: compiled.ruleIDs[rule], priority: compiled.priorities[rule], reading, now: now, into: &events)
            } else {
                raiseECG(.heartRate, d, compiled.priorities[rule], reading, now: now, into: &events)
            }
        } else if clear, let id = open {
            resolve(id, reading, now: now, cancelled: false, into: &events)
        }
        return events
    }

    private mutating func sustained(_ condition: ECGCondition, since: Int64?, forMillis: Int64, priority: Priority,
                                    _ chunk: Reading, now: Int64) -> [AlertEvent] {
        var events: [AlertEvent] = []
        let d = Int(deviceIndex(chunk.source, kind: .ecg))
        let c = condition.rawValue
        if let since {
            if devices[d].ecgAlerts[c] == nil, chunk.ts - since >= forMillis {
                raiseECG(condition, d, priority, chunk, now: now, into: &events)
            }
        } else if let id = devices[d].ecgAlerts[c] {
            resolve(id, summary(chunk), now: now, cancelled: false, into: &events)
        }
        return events
    }

    private mutating func raiseECG(_ condition: ECGCondition, _ d: Int, _ priority: Priority, _ chunk: Reading, now: Int64,
                                   into events: inout [AlertEvent]) {
        devices[d].ecgAlerts[condition.rawValue] = raise(.ecg(device: Int32(d), condition: condition), rule: condition.rule,
                                                         priority: priority, source: chunk.source, stream: .ecg,
                                                         resident: chunk.resident, summary(chunk), now: now, into: &events)
    }

    /// The chunk without its samples: what an alert event says of it is when, which, and the rate.
    private func summary(_ chunk: Reading) -> Reading {
        var r = chunk
        if case .ecg(let c) = chunk.value {
            r.value = .ecg(ECGChunk(hz: c.hz, lead: c.lead, microvoltsPerLSB: c.microvoltsPerLSB, samples: []))
        }
        return r
    }
}
