import Telemetry

extension AlertEngine {
    /// Runs the timers due at gateway time `now` (ms): escalations of unacknowledged alerts and
    /// silent devices. Costs in proportion to the timers due, not to devices or alerts.
    public mutating func tick(now: Int64) -> [AlertEvent] {
        var events: [AlertEvent] = []
        while let entry = timers.popDue(now: now) {
            if let id = entry.alert {
                escalate(id, due: entry.due, now: now, into: &events)
            } else if entry.device >= 0 {
                checkSilence(device: entry.device, now: now, into: &events)
            }
        }
        return events
    }

    /// `device.silent`: raised by the timer when the device has said nothing for its allowance;
    /// otherwise the check moves to the end of the current allowance.
    private mutating func checkSilence(device d: Int32, now: Int64, into events: inout [AlertEvent]) {
        let i = Int(d)
        devices[i].timerQueued = false
        guard let silence = rules.silence, devices[i].silentAlert == nil else { return }
        let due = devices[i].lastHeard + silence.allowance(for: devices[i].kind)
        if due > now {
            devices[i].timerQueued = true
            timers.push(TimerQueue.Entry(due: due, device: d))
            return
        }
        devices[i].silentAlert = raise(.silence(device: d), rule: "device.silent", priority: silence.priority,
                                       source: devices[i].address, stream: devices[i].kind, resident: nil, nil,
                                       now: now, into: &events)
    }
}
