import AlertEngine
import Telemetry
import Testing

/// Condition delay, rate of change, silent devices and per-resident limits.
@Suite struct RuleKindTests {
    func summary(_ events: [AlertEvent]) -> String {
        events.map { "\($0.kind.rawValue) \($0.rule)" }.joined(separator: "+")
    }

    func book(delay: ConditionDelay) -> RuleBook {
        var rules = RuleBook(families: RuleBook.defaults.families, silence: nil)
        let f = rules.families.firstIndex { $0.name == "bp.high" }!
        rules.families[f].delay = delay
        return rules
    }

    @Test func aDelayOfThreeReadingsRaisesOnTheThirdInARow() {
        var e = AlertEngine(rules: book(delay: ConditionDelay(readings: 3)))
        var r = ReadingSequence()
        let values = [bp(165, 90), bp(166, 90), bp(120, 80), bp(165, 90), bp(170, 90), bp(185, 90), bp(185, 90)]
        #expect(values.map { summary(e.ingest(r.next($0), now: t0).events) }
            == ["", "", "", "", "", "raised bp.crisis", "updated bp.crisis"])
    }

    @Test func aDelayInTimeRaisesOnceViolatingReadingsSpanIt() {
        // ReadingSequence spaces readings 60 s apart.
        var e = AlertEngine(rules: book(delay: ConditionDelay(millis: 120_000)))
        var r = ReadingSequence()
        #expect([bp(165, 90), bp(165, 90), bp(165, 90)].map { summary(e.ingest(r.next($0), now: t0).events) }
            == ["", "", "raised bp.high"])
    }

    @Test func anEmergencyCallIsNeverDelayed() {
        var e = AlertEngine(rules: book(delay: ConditionDelay(readings: 5)))
        var r = ReadingSequence()
        #expect(summary(e.ingest(r.next(sos()), now: t0).events) == "raised sos.call")
    }

    /// A CGM every 5 minutes; the rate is over 15 minutes, from the oldest value in the window.
    func falling(_ values: [Double]) -> [String] {
        var e = AlertEngine(rules: RuleBook(families: RuleBook.defaults.families, silence: nil))
        let cgm = DeviceAddress(station: "st01", device: "cgm-1")
        return values.enumerated().map { i, v in
            let reading = Reading(source: cgm, ts: t0 + Int64(i) * 300_000, seq: Int64(i + 1), value: glucose(v))
            return summary(e.ingest(reading, now: t0).events)
        }
    }

    @Test func glucoseFallingTwoAMinuteOverFifteenMinutesIsPredictedHypoglycaemia() {
        // -30 over 15 min is -2.0/min: met (falling 2 a minute or faster).
        #expect(falling([150, 145, 140, 120]) == ["", "", "", "raised glucose.falling"])
        // -29 over 15 min is -1.93/min: not met.
        #expect(falling([150, 145, 140, 121]) == ["", "", "", ""])
        // Five minutes are not a trend; two thirds of the window are: -2.4/min over 10 min raises.
        #expect(falling([150, 138, 126]) == ["", "", "raised glucose.falling"])
        // It resolves once the fall over the window is slower than 1 a minute (hysteresis 1).
        #expect(falling([150, 145, 140, 120, 115, 112, 110, 109])
            == ["", "", "", "raised glucose.falling", "updated glucose.falling", "", "resolved glucose.falling", ""])
    }

    @Test func aFallIntoHypoglycaemiaRaisesBothFamilies() {
        #expect(falling([110, 96, 82, 68]) == ["", "", "raised glucose.falling", "raised glucose.low+updated glucose.falling"])
    }

    @Test func aSilentDeviceRaisesATechnicalAlarmThatResolvesWhenItSpeaks() {
        var silence = SilenceRule()
        silence.allowances[.ecg] = 60_000
        var e = AlertEngine(rules: RuleBook(families: RuleBook.defaults.families, silence: silence))
        let patch = DeviceAddress(station: "st01", device: "ecg-7")
        var cuff = ReadingSequence()
        var ecg = ReadingSequence(source: patch)
        _ = e.ingest(cuff.next(bp(120, 80)), now: t0)
        _ = e.ingest(ecg.next(.status(DeviceStatus(battery: 80))), now: t0)
        _ = e.ingest(ecg.next(.ecg(ECGChunk(hz: 250, lead: "II", microvoltsPerLSB: 5, samples: [1, 2]))), now: t0 + 1000)
        #expect(e.tick(now: t0 + 60_999).isEmpty)
        let silent = e.tick(now: t0 + 61_000)
        #expect(summary(silent) == "raised device.silent")
        #expect(silent[0].source == patch && silent[0].stream == .ecg && silent[0].value == nil && silent[0].readingTS == nil)
        #expect(silent[0].priority == .low)
        #expect(e.tick(now: t0 + 899_999).isEmpty)
        #expect(summary(e.tick(now: t0 + 900_000)) == "raised device.silent")
        let back = e.ingest(ecg.next(.status(DeviceStatus(battery: 79))), now: t0 + 1_000_000).events
        #expect(summary(back) == "resolved device.silent")
        #expect(back[0].alertID == silent[0].alertID && back[0].closes)
        #expect(e.openAlerts.map(\.rule) == ["device.silent"])
        // Its clock starts again from the message.
        #expect(e.tick(now: t0 + 1_059_999).isEmpty)
        #expect(summary(e.tick(now: t0 + 1_060_000)) == "raised device.silent")
    }

    @Test func aDeviceThatKeepsTalkingNeverGoesSilent() {
        var e = AlertEngine()
        var r = ReadingSequence()
        for minute in 0..<120 {
            let now = t0 + Int64(minute) * 60_000
            _ = e.ingest(r.next(battery(90)), now: now)
            #expect(e.tick(now: now).isEmpty)
        }
    }

    func overrides() -> RuleBook {
        var rules = RuleBook.defaults
        rules.overrides = [
            RuleOverride(subject: .resident("r-42"), limits: ["bp.high": [.init(.systolic, .atLeast, 150), .init(.diastolic, .atLeast, 95)]]),
            RuleOverride(subject: .device(bedside), limits: ["bp.high": [.init(.systolic, .atLeast, 140)]]),
        ]
        return rules
    }

    @Test func aResidentsTargetsWinOverTheDevicesAndTheStations() {
        var e = AlertEngine(rules: overrides())
        var kiosk = ReadingSequence()
        var other = ReadingSequence(source: DeviceAddress(station: "st01", device: "bp-9"))
        // r-42's doctor set 150: 152 alerts for r-42.
        #expect(summary(e.ingest(kiosk.next(bp(152, 80), resident: "r-42"), now: t0).events) == "raised bp.high")
        #expect(summary(e.ingest(kiosk.next(bp(152, 96), resident: "r-42"), now: t0).events) == "updated bp.high")
        // The bedside device's override (140) applies to readings that name no one else's targets.
        #expect(summary(e.ingest(kiosk.next(bp(145, 80), resident: "r-1"), now: t0).events) == "raised bp.high")
        #expect(summary(e.ingest(kiosk.next(bp(145, 80)), now: t0).events) == "raised bp.high")
        // r-42 on another device: still r-42's targets. Anyone else there: the station's 160.
        #expect(summary(e.ingest(other.next(bp(152, 80), resident: "r-42"), now: t0).events) == "raised bp.high")
        #expect(summary(e.ingest(other.next(bp(158, 80), resident: "r-7"), now: t0).events) == "")
        // Hysteresis applies to the resident's limit: 145 is not clear of 150 by 5, 144 is.
        #expect(summary(e.ingest(kiosk.next(bp(145, 80), resident: "r-42"), now: t0).events) == "")
        #expect(summary(e.ingest(kiosk.next(bp(144, 80), resident: "r-42"), now: t0).events) == "resolved bp.high")
        // The crisis limit was not overridden.
        #expect(summary(e.ingest(kiosk.next(bp(181, 80), resident: "r-42"), now: t0).events) == "raised bp.crisis")
    }
}
