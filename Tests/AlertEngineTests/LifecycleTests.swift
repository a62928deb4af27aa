import AlertEngine
import Telemetry
import Testing

@Suite struct LifecycleTests {
    func run(_ values: [ReadingValue], resident: String? = nil) -> [[AlertEvent]] {
        var engine = AlertEngine()
        var readings = ReadingSequence()
        return values.map { engine.ingest(readings.next($0, resident: resident), now: t0).events }
    }

    func summary(_ events: [[AlertEvent]]) -> [String] {
        events.map { $0.map { "\($0.kind.rawValue) \($0.rule)" }.joined(separator: "+") }
    }

    @Test func crisisStaysOpenAt170AndResolvesAt154() {
        let events = run([bp(190, 95), bp(170, 95), bp(155, 90), bp(154, 90)])
        #expect(summary(events) == ["raised bp.crisis", "updated bp.crisis", "", "resolved bp.crisis"])
        let ids = Set(events.joined().map(\.alertID))
        #expect(ids.count == 1)
        #expect(events[3][0].priority == .high)
    }

    @Test func diastolicAlsoHoldsTheAlertOpen() {
        let events = run([bp(185, 100), bp(150, 96), bp(150, 94.9)])
        #expect(summary(events) == ["raised bp.crisis", "", "resolved bp.crisis"])
    }

    @Test func worseningRaisesThePriorityAndImprovingDoesNotLowerIt() {
        let events = run([bp(165, 90), bp(185, 90), bp(165, 90)])
        #expect(summary(events) == ["raised bp.high", "updated bp.crisis", "updated bp.crisis"])
        #expect(events.joined().map(\.priority) == [.medium, .high, .high])
        #expect(events.joined().map(\.count) == [1, 2, 3])
        #expect(events.joined().map(\.number) == [1, 2, 3])
    }

    @Test func lowFamilyHysteresis() {
        #expect(summary(run([glucose(50), glucose(72), glucose(74.9), glucose(75)]))
            == ["raised glucose.very_low", "", "", "resolved glucose.very_low"])
        #expect(summary(run([bp(85, 70), bp(94, 70), bp(95, 64), bp(95, 65)])) == ["raised bp.low", "", "", "resolved bp.low"])
        #expect(summary(run([glucose(320), glucose(296), glucose(295)])) == ["raised glucose.high", "", "resolved glucose.high"])
        #expect(summary(run([battery(10), battery(20), battery(20.5)])) == ["raised device.battery", "", "resolved device.battery"])
    }

    @Test func heartRateHysteresis() {
        #expect(summary(run([bp(120, 80, pulse: 35), bp(120, 80, pulse: 44), bp(120, 80), bp(120, 80, pulse: 45)]))
            == ["raised hr.extreme", "", "", "resolved hr.extreme"])
        #expect(summary(run([bp(120, 80, pulse: 160), bp(120, 80, pulse: 146), bp(120, 80, pulse: 145)]))
            == ["raised hr.extreme", "", "resolved hr.extreme"])
    }

    @Test func aNewViolationAfterResolutionIsANewAlert() {
        // Medium priority does not latch: resolved is closed.
        let events = run([bp(165, 90), bp(120, 80), bp(165, 90)]).joined().map { $0 }
        #expect(events.map(\.kind) == [.raised, .resolved, .raised])
        #expect(events[0].alertID == events[1].alertID)
        #expect(events[2].alertID != events[0].alertID)
    }

    @Test func emergencyCallUpdatesUntilCancelled() {
        #expect(summary(run([sos(), sos(), sos(cancel: true), sos(cancel: true)]))
            == ["raised sos.call", "updated sos.call", "resolved sos.call", ""])
    }

    @Test func residentsOfASharedKioskHaveTheirOwnAlerts() {
        var engine = AlertEngine()
        var kiosk = ReadingSequence()
        let a = engine.ingest(kiosk.next(bp(185, 90), resident: "r-1"), now: t0).events
        let b = engine.ingest(kiosk.next(bp(185, 90), resident: "r-2"), now: t0).events
        let c = engine.ingest(kiosk.next(bp(120, 80), resident: "r-1"), now: t0).events
        #expect(a.map(\.kind) == [.raised])
        #expect(b.map(\.kind) == [.raised])
        #expect(a[0].alertID != b[0].alertID)
        #expect(c.map(\.kind) == [.resolved])
        #expect(c[0].alertID == a[0].alertID)
        // r-1's crisis is resolved but latched until acknowledged (high priority).
        #expect(engine.openAlertCount == 2)
        #expect(engine.openAlerts.filter(\.active).map(\.resident) == ["r-2"])
    }

    @Test func eventsCarryTheReadingAndTheGatewayTime() {
        var engine = AlertEngine()
        let reading = Reading(source: bedside, ts: t0, seq: 17, resident: "r-9", value: bp(190, 100, pulse: 80))
        let event = engine.ingest(reading, now: t0 + 42).events[0]
        #expect(event.readingTS == t0)
        #expect(event.readingSeq == 17)
        #expect(event.at == t0 + 42)
        #expect(event.resident == "r-9")
        #expect(event.source == bedside)
        #expect(event.stream == .bp)
        #expect(event.value == bp(190, 100, pulse: 80))
    }

    @Test func duplicatesAreIgnoredAndGapsCounted() {
        var engine = AlertEngine()
        func reading(_ seq: Int64, _ ts: Int64, _ value: ReadingValue = bp(185, 90)) -> Reading {
            Reading(source: bedside, ts: ts, seq: seq, value: value)
        }
        let first = engine.ingest(reading(5, t0), now: t0)
        #expect(first.events.count == 1 && !first.duplicate && first.gap == 0)
        let again = engine.ingest(reading(5, t0), now: t0)
        #expect(again.duplicate && again.events.isEmpty)
        let jump = engine.ingest(reading(9, t0 + 1), now: t0)
        #expect(jump.gap == 3 && !jump.duplicate)
        // A device reboot restarts seq at 1 with a new ts: neither a duplicate nor a gap.
        let reboot = engine.ingest(reading(1, t0 + 2), now: t0)
        #expect(!reboot.duplicate && reboot.gap == 0)
    }

    @Test func aRedeliveryOfAnOlderMessageIsADuplicateToo() {
        var engine = AlertEngine()
        func reading(_ seq: Int64, _ value: ReadingValue) -> Reading {
            Reading(source: bedside, ts: t0 + seq * 1000, seq: seq, value: value)
        }
        #expect(engine.ingest(reading(1, bp(185, 90)), now: t0).events.map(\.kind) == [.raised])
        #expect(engine.ingest(reading(2, bp(120, 80)), now: t0).events.map(\.kind) == [.resolved])
        #expect(engine.ingest(reading(3, bp(121, 80)), now: t0).events.isEmpty)
        // After a reconnect the broker sends 1 and 2 again: no new alert, and no gap from going back.
        let again = engine.ingest(reading(1, bp(185, 90)), now: t0)
        #expect(again.duplicate && again.events.isEmpty)
        #expect(engine.ingest(reading(2, bp(120, 80)), now: t0).duplicate)
        let next = engine.ingest(reading(4, bp(122, 80)), now: t0)
        #expect(!next.duplicate && next.gap == 0)
    }
}
