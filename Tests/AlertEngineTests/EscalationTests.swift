import AlertEngine
import Telemetry
import Testing

/// Latching, acknowledgement and escalation, driven by a manual clock: `now` is passed in.
@Suite struct EscalationTests {
    static let quiet = RuleBook(families: RuleBook.defaults.families, silence: nil)

    func engine(tiers: Int = 3) -> AlertEngine {
        AlertEngine(rules: Self.quiet, escalation: EscalationPolicy(tiers: tiers))
    }

    func kinds(_ events: [AlertEvent]) -> [String] {
        events.map { "\($0.kind.rawValue)\($0.tier.map { " \($0)" } ?? "")\($0.closes ? " closes" : "")" }
    }

    @Test func highPriorityLatchesUntilAcknowledged() {
        var e = engine()
        var readings = ReadingSequence()
        let raised = e.ingest(readings.next(bp(190, 95)), now: t0).events
        let resolved = e.ingest(readings.next(bp(120, 80)), now: t0 + 1).events
        #expect(kinds(resolved) == ["resolved"])
        #expect(e.openAlertCount == 1)
        #expect(e.openAlerts[0].active == false)
        // A new violation while latched updates the same alert rather than raising another.
        let again = e.ingest(readings.next(bp(185, 95)), now: t0 + 2).events
        #expect(kinds(again) == ["updated"])
        #expect(again[0].alertID == raised[0].alertID)
        #expect(kinds(e.ingest(readings.next(bp(120, 80)), now: t0 + 3).events) == ["resolved"])
        guard case .acknowledged(let acked) = e.acknowledge(raised[0].alertID, by: "li-na", now: t0 + 4) else {
            Issue.record("not acknowledged")
            return
        }
        #expect(kinds(acked) == ["acknowledged closes"])
        #expect(acked[0].by == "li-na")
        #expect(acked[0].value == bp(185, 95))
        #expect(e.openAlertCount == 0)
        #expect(kinds(e.ingest(readings.next(bp(190, 95)), now: t0 + 5).events) == ["raised"])
    }

    @Test func anAcknowledgedAlertClosesWhenItResolves() {
        var e = engine()
        var readings = ReadingSequence()
        let id = e.ingest(readings.next(bp(190, 95)), now: t0).events[0].alertID
        guard case .acknowledged(let acked) = e.acknowledge(id, by: "li-na", now: t0 + 1) else {
            Issue.record("not acknowledged")
            return
        }
        #expect(kinds(acked) == ["acknowledged"])
        #expect(kinds(e.ingest(readings.next(bp(190, 95)), now: t0 + 2).events) == ["updated"])
        #expect(kinds(e.ingest(readings.next(bp(120, 80)), now: t0 + 3).events) == ["resolved closes"])
        #expect(e.openAlertCount == 0)
    }

    @Test func mediumPriorityDoesNotLatch() {
        var e = engine()
        var readings = ReadingSequence()
        _ = e.ingest(readings.next(bp(165, 95)), now: t0)
        #expect(kinds(e.ingest(readings.next(bp(120, 80)), now: t0 + 1).events) == ["resolved closes"])
        #expect(e.openAlertCount == 0)
    }

    @Test func anEmergencyCallEndsByAcknowledgementOrByTheResidentsCancel() {
        var e = engine()
        var button = ReadingSequence(source: DeviceAddress(station: "st01", device: "sos-1"))
        let id = e.ingest(button.next(sos()), now: t0).events[0].alertID
        guard case .acknowledged(let events) = e.acknowledge(id, by: "li-na", now: t0 + 1) else {
            Issue.record("not acknowledged")
            return
        }
        #expect(kinds(events) == ["acknowledged", "resolved closes"])
        #expect(events.map(\.number) == [2, 3])
        #expect(e.openAlertCount == 0)
        // The resident's cancel closes a call at once, acknowledged or not.
        _ = e.ingest(button.next(sos()), now: t0 + 2)
        #expect(kinds(e.ingest(button.next(sos(cancel: true)), now: t0 + 3).events) == ["resolved closes"])
        #expect(e.openAlertCount == 0)
    }

    @Test func acknowledgingAnUnknownClosedOrForeignAlertIsAnsweredNotApplied() {
        var e = engine()
        var readings = ReadingSequence()
        let id = e.ingest(readings.next(bp(190, 95)), now: t0).events[0].alertID
        #expect(e.acknowledge("a-nope-1", by: "li-na", now: t0) == .notOpen)
        #expect(e.acknowledge(id, by: "li-na", station: "st02", now: t0) == .notOpen)
        guard case .acknowledged = e.acknowledge(id, by: "li-na", station: "st01", now: t0 + 1) else {
            Issue.record("not acknowledged")
            return
        }
        #expect(e.acknowledge(id, by: "wang", now: t0 + 2) == .alreadyAcknowledged(by: "li-na"))
        _ = e.ingest(readings.next(bp(120, 80)), now: t0 + 3)
        #expect(e.acknowledge(id, by: "wang", now: t0 + 4) == .notOpen)
    }

    @Test func unacknowledgedAlertsGoUpTheTiersAtTheirPrioritysTimeout() {
        var e = engine(tiers: 3)
        var readings = ReadingSequence()
        let id = e.ingest(readings.next(bp(190, 95)), now: t0).events[0].alertID
        #expect(e.tick(now: t0 + 119_999).isEmpty)
        let first = e.tick(now: t0 + 120_000)
        #expect(kinds(first) == ["escalated 2"])
        #expect(first[0].alertID == id)
        #expect(first[0].value == bp(190, 95))
        #expect(first[0].at == t0 + 120_000)
        #expect(kinds(e.tick(now: t0 + 240_000)) == ["escalated 3"])
        // The top tier is asked again every timeout until someone answers.
        #expect(kinds(e.tick(now: t0 + 360_000)) == ["escalated 3"])
        guard case .acknowledged = e.acknowledge(id, by: "zhang", now: t0 + 361_000) else {
            Issue.record("not acknowledged")
            return
        }
        #expect(e.tick(now: t0 + 3_600_000).isEmpty)
        #expect(e.openAlerts[0].tier == 3)
    }

    @Test func mediumWaitsTenMinutesAndLowNeverEscalates() {
        var e = engine()
        var cuff = ReadingSequence()
        var meter = ReadingSequence(source: DeviceAddress(station: "st01", device: "cgm-1"))
        _ = e.ingest(cuff.next(bp(165, 95)), now: t0)
        _ = e.ingest(meter.next(battery(10)), now: t0)
        #expect(e.tick(now: t0 + 599_999).isEmpty)
        let events = e.tick(now: t0 + 600_000)
        #expect(events.map(\.rule) == ["bp.high"])
        #expect(e.tick(now: t0 + 86_400_000).map(\.rule) == ["bp.high"])
    }

    @Test func aWorseningReadingBringsTheEscalationForward() {
        var e = engine()
        var readings = ReadingSequence()
        _ = e.ingest(readings.next(bp(165, 95)), now: t0)
        #expect(kinds(e.ingest(readings.next(bp(190, 95)), now: t0 + 60_000).events) == ["updated"])
        #expect(e.tick(now: t0 + 179_999).isEmpty)
        #expect(kinds(e.tick(now: t0 + 180_000)) == ["escalated 2"])
    }

    @Test func aResolvedLatchedAlertWaitsOnTheBoardWithoutEscalating() {
        var e = engine()
        var readings = ReadingSequence()
        _ = e.ingest(readings.next(bp(190, 95)), now: t0)
        _ = e.ingest(readings.next(bp(120, 80)), now: t0 + 1000)
        #expect(e.tick(now: t0 + 3_600_000).isEmpty)
        #expect(e.openAlertCount == 1)
    }

    @Test func oneTierIsAskedAgainEveryTimeout() {
        var e = engine(tiers: 1)
        var readings = ReadingSequence()
        _ = e.ingest(readings.next(glucose(45)), now: t0)
        #expect(kinds(e.tick(now: t0 + 120_000)) == ["escalated 1"])
        #expect(kinds(e.tick(now: t0 + 240_000)) == ["escalated 1"])
    }
}
