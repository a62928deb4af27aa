import Telemetry

extension AlertEngine {
    /// The series of `source` and `stream`, if the engine has seen it.
    @inline(__always)
    func findSeries(_ source: DeviceAddress, _ stream: StreamKind) -> Int32? {
        seriesTable.find(IndexTable.hash(source, stream)) { s in
            series[Int(s)].stream == stream && devices[Int(series[Int(s)].device)].address == source
        }
    }

    /// A new series (a device's stream), with its device and its unnamed subject.
    mutating func makeSeries(_ source: DeviceAddress, _ stream: StreamKind) -> Int32 {
        let d = deviceIndex(source, kind: stream)
        let s = Int32(series.count)
        series.append(SeriesState(stream: stream, device: d, unnamed: -1))
        seriesTable.insert(IndexTable.hash(source, stream), s)
        series[Int(s)].unnamed = makeSubject(series: s, resident: nil)
        return s
    }

    /// The device at `source`, made if new with `kind` as the stream it measures.
    mutating func deviceIndex(_ source: DeviceAddress, kind: StreamKind) -> Int32 {
        let deviceHash = IndexTable.hash(source)
        if let found = deviceTable.find(deviceHash, where: { devices[Int($0)].address == source }) { return found }
        let d = Int32(devices.count)
        deviceTable.insert(deviceHash, d)
        devices.append(DeviceState(address: source, lastHeard: .min, kind: kind))
        return d
    }

    /// The series of `source` and `stream`, made if new.
    mutating func seriesIndex(_ source: DeviceAddress, _ stream: StreamKind) -> Int32 {
        findSeries(source, stream) ?? makeSeries(source, stream)
    }

    /// The subject of `resident` on series `s`, made if new.
    @inline(__always)
    mutating func subjectIndex(series s: Int32, resident: String?) -> Int32 {
        guard let resident else { return series[Int(s)].unnamed }
        if series[Int(s)].lastResident == resident { return series[Int(s)].lastSubject }
        let subject: Int32
        if let found = series[Int(s)].residents[resident] {
            subject = found
        } else {
            subject = makeSubject(series: s, resident: resident)
            series[Int(s)].residents[resident] = subject
        }
        series[Int(s)].lastResident = resident
        series[Int(s)].lastSubject = subject
        return subject
    }

    private mutating func makeSubject(series s: Int32, resident: String?) -> Int32 {
        let stream = series[Int(s)].stream
        let count = stream == .sos ? 1 : compiled.families(of: stream).count
        let ruleSet = compiled.ruleSet(resident: resident, device: devices[Int(series[Int(s)].device)].address)
        subjects.append(SubjectState(resident: resident, series: s, ruleSet: ruleSet, firstFamily: Int32(familyStates.count)))
        for _ in 0..<count { familyStates.append(FamilyState()) }
        return Int32(subjects.count - 1)
    }

    /// The state of family `position` of `subject`.
    @inline(__always)
    func familySlot(_ subject: Int32, _ position: Int) -> Int {
        Int(subjects[Int(subject)].firstFamily) + position
    }

    /// A message from device `d` at gateway time `now`: its silence clock restarts. Returns the
    /// device's `device.silent` alert, which the message resolves.
    @inline(__always)
    mutating func heard(device d: Int32, stream: StreamKind, now: Int64) -> String? {
        let i = Int(d)
        if now > devices[i].lastHeard { devices[i].lastHeard = now }
        var kindChanged = false
        if devices[i].kind == .status && stream != .status {
            devices[i].kind = stream
            kindChanged = true
        }
        // A new kind may have a shorter allowance than the check already queued.
        if !devices[i].timerQueued || kindChanged, let silence = rules.silence {
            devices[i].timerQueued = true
            timers.push(TimerQueue.Entry(due: devices[i].lastHeard + silence.allowance(for: devices[i].kind), device: d))
        }
        return devices[i].silentAlert
    }
}
