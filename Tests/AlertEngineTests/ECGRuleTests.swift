import AlertEngine
import Telemetry
import Testing

/// The rules on what the ECG analysis finds, driven with a manual clock.
@Suite("ECG rules")
struct ECGRuleTests {
    let patch = DeviceAddress(station: "st01", device: "ecg-0007")

    func chunk(at ts: Int64, seq: Int64 = 1) -> Reading {
        Reading(source: patch, ts: ts, seq: seq, resident: "r-0007",
                value: .ecg(ECGChunk(hz: 250, lead: "II", microvoltsPerLSB: 5, samples: [1, 2, 3])))
    }

    func names(_ events: [AlertEvent]) -> [String] { events.map { "\($0.kind.rawValue) \($0.rule) \($0.priority.name)" } }

    @Test("a pause raises ecg.pause at once; the next beat resolves it; it latches until acknowledged")
    func pause() {
        var engine = AlertEngine()
        let raised = engine.ecgPause(started: t0, ended: false, chunk: chunk(at: t0 + 3500), now: t0 + 3600)
        #expect(names(raised) == ["raised ecg.pause high"])
        #expect(raised.first?.stream == .ecg && raised.first?.resident == "r-0007")
        // Still paused: the analysis reports nothing new, nor does the engine.
        #expect(engine.ecgPause(started: nil, ended: false, chunk: chunk(at: t0 + 3600), now: t0 + 3700).isEmpty)
        #expect(names(engine.ecgPause(started: nil, ended: true, chunk: chunk(at: t0 + 5000), now: t0 + 5100)) == ["resolved ecg.pause high"])
        #expect(engine.openAlerts.count == 1)
        // Another pause before anyone acknowledged the first: the same alert, updated.
        let again = engine.ecgPause(started: t0 + 5500, ended: false, chunk: chunk(at: t0 + 8600), now: t0 + 8700)
        #expect(names(again) == ["updated ecg.pause high"] && again.first?.alertID == raised.first?.alertID)
        #expect(names(engine.ecgPause(started: nil, ended: true, chunk: chunk(at: t0 + 9000), now: t0 + 9100)) == ["resolved ecg.pause high"])
        let id = raised[0].alertID
        _ = engine.acknowledge(id, by: "nurse-li", station: "st01", now: t0 + 6000)
        #expect(engine.openAlerts.isEmpty)
        // Once acknowledged and resolved it is closed: a new pause is a new alert.
        #expect(names(engine.ecgPause(started: t0 + 10_000, ended: false, chunk: chunk(at: t0 + 13_100), now: t0 + 13_200)) == ["raised ecg.pause high"])
    }

    @Test("irregular rhythm is raised only once it has lasted a minute, and resolves when regular")
    func irregular() {
        var engine = AlertEngine()
        #expect(engine.ecgRhythm(irregularSince: t0, chunk: chunk(at: t0 + 59_000), now: t0 + 59_000).isEmpty)
        #expect(names(engine.ecgRhythm(irregularSince: t0, chunk: chunk(at: t0 + 60_000), now: t0 + 60_000)) == ["raised ecg.irregular medium"])
        #expect(engine.ecgRhythm(irregularSince: t0, chunk: chunk(at: t0 + 61_000), now: t0 + 61_000).isEmpty)
        #expect(names(engine.ecgRhythm(irregularSince: nil, chunk: chunk(at: t0 + 90_000), now: t0 + 90_000)) == ["resolved ecg.irregular medium"])
        #expect(engine.openAlerts.isEmpty)
        // Irregular for less than the minute, then regular: nothing.
        #expect(engine.ecgRhythm(irregularSince: t0 + 100_000, chunk: chunk(at: t0 + 120_000), now: t0 + 120_000).isEmpty)
        #expect(engine.ecgRhythm(irregularSince: nil, chunk: chunk(at: t0 + 130_000), now: t0 + 130_000).isEmpty)
    }

    @Test("unusable signal for 30 s raises ecg.signal (low)")
    func signal() {
        var engine = AlertEngine()
        #expect(engine.ecgSignal(unusableSince: t0, chunk: chunk(at: t0 + 29_000), now: t0).isEmpty)
        #expect(names(engine.ecgSignal(unusableSince: t0, chunk: chunk(at: t0 + 30_000), now: t0)) == ["raised ecg.signal low"])
        #expect(names(engine.ecgSignal(unusableSince: nil, chunk: chunk(at: t0 + 40_000), now: t0)) == ["resolved ecg.signal low"])
    }

    @Test("the ECG's heart rate against hr.extreme: 38/min raises, 43 keeps it open, 46 resolves", arguments: [
        ([72.0, 38, 43, 46], ["raised hr.extreme high", "resolved hr.extreme high"]),
        ([72.0, 151, 160, 148, 144], ["raised hr.extreme high", "updated hr.extreme high", "resolved hr.extreme high"]),
        ([40.0, 150, 72], []),
    ])
    func heartRate(rates: [Double], expected: [String]) {
        var engine = AlertEngine()
        var events: [AlertEvent] = []
        for (i, rate) in rates.enumerated() {
            events += engine.ecgHeartRate(rate, at: t0 + Int64(i) * 1000, chunk: chunk(at: t0 + Int64(i) * 1000), now: t0)
        }
        #expect(names(events) == expected)
        if let first = events.first { #expect(first.stream == .ecg && first.readingTS == t0 + 1000) }
    }

    @Test("a resident's own hr.extreme limits hold for the ECG's heart rate too")
    func residentLimits() {
        var book = RuleBook.defaults
        book.overrides = [RuleOverride(subject: .resident("r-0007"), limits: ["hr.extreme": [.init(.pulse, .below, 50), .init(.pulse, .above, 150)]])]
        var engine = AlertEngine(rules: book)
        let events = engine.ecgHeartRate(46, at: t0, chunk: chunk(at: t0), now: t0)
        #expect(names(events) == ["raised hr.extreme high"])
        // Someone else on the station's limits: 46 is fine.
        var other = chunk(at: t0)
        other.resident = "r-0008"
        other.source = DeviceAddress(station: "st01", device: "ecg-0008")
        #expect(engine.ecgHeartRate(46, at: t0, chunk: other, now: t0).isEmpty)
    }

    @Test("rules the book turns off raise nothing; a restart puts an open ECG alert back with its device")
    func offAndRestore() {
        var off = AlertEngine(rules: RuleBook(families: RuleBook.defaults.families, ecg: ECGRules(pause: nil, irregular: nil, signal: nil)))
        #expect(off.ecgPause(started: t0, ended: false, chunk: chunk(at: t0 + 4000), now: t0).isEmpty)
        var engine = AlertEngine()
        let raised = engine.ecgPause(started: t0, ended: false, chunk: chunk(at: t0 + 4000), now: t0)
        var restarted = AlertEngine()
        restarted.restore(history: raised)
        // The restored alert is the device's: a beat resolves it, and a new pause updates it rather than raise another.
        #expect(names(restarted.ecgPause(started: nil, ended: true, chunk: chunk(at: t0 + 6000), now: t0)) == ["resolved ecg.pause high"])
        #expect(names(restarted.ecgPause(started: t0 + 7000, ended: false, chunk: chunk(at: t0 + 10_000), now: t0)) == ["updated ecg.pause high"])
    }
}
