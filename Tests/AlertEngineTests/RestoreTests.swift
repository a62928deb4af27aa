import AlertEngine
import Telemetry
import Testing

/// A restart neither forgets an open alert nor raises it twice: the engine is rebuilt from the
/// events and readings the store kept.
@Suite struct RestoreTests {
    static let quiet = RuleBook(families: RuleBook.defaults.families, silence: nil)

    @Test func anOpenAlertComesBackWithItsIdTierAndDeadline() {
        var before = AlertEngine(rules: Self.quiet, escalation: EscalationPolicy(tiers: 3))
        var r = ReadingSequence()
        var history = before.ingest(r.next(bp(190, 95), resident: "r-1"), now: t0).events
        history += before.tick(now: t0 + 120_000)
        history += before.ingest(r.next(bp(195, 95), resident: "r-1"), now: t0 + 130_000).events
        #expect(history.map(\.kind) == [.raised, .escalated, .updated])

        var after = AlertEngine(rules: Self.quiet, escalation: EscalationPolicy(tiers: 3))
        after.restore(history: history)
        #expect(after.openAlerts == before.openAlerts.map { alert in
            var a = alert
            a.count = alert.count
            return a
        })
        // The same reading again (a redelivery after the restart) updates, never raises a second alert.
        let next = after.ingest(r.next(bp(200, 95), resident: "r-1"), now: t0 + 200_000).events
        #expect(next.map(\.kind) == [.updated])
        #expect(next[0].alertID == history[0].alertID)
        #expect(next[0].number == 4)
        #expect(next[0].count == 3)
        // The escalation deadline came back too: tier 3 at 120 s after the last escalation.
        #expect(after.tick(now: t0 + 239_999).isEmpty)
        #expect(after.tick(now: t0 + 240_000).map(\.tier) == [3])
        // The normal reading resolves it; latched, it waits for the acknowledgement.
        #expect(after.ingest(r.next(bp(120, 80), resident: "r-1"), now: t0 + 250_000).events.map(\.kind) == [.resolved])
        guard case .acknowledged(let acked) = after.acknowledge(history[0].alertID, by: "li-na", now: t0 + 260_000) else {
            Issue.record("not acknowledged")
            return
        }
        #expect(acked.map(\.closes) == [true])
    }

    @Test func anEscalationDueWhileTheGatewayWasDownFiresAtTheFirstTick() {
        var before = AlertEngine(rules: Self.quiet, escalation: EscalationPolicy(tiers: 2))
        var r = ReadingSequence()
        let history = before.ingest(r.next(glucose(45)), now: t0).events
        var after = AlertEngine(rules: Self.quiet, escalation: EscalationPolicy(tiers: 2))
        after.restore(history: history)
        let late = after.tick(now: t0 + 3_600_000)
        #expect(late.map(\.kind) == [.escalated])
        #expect(late[0].tier == 2)
        #expect(after.tick(now: t0 + 3_600_001).isEmpty)
    }

    @Test func acknowledgedAndClosedHistoriesRestoreAsTheyWere() {
        var before = AlertEngine(rules: Self.quiet)
        var r = ReadingSequence()
        var history = before.ingest(r.next(bp(190, 95)), now: t0).events
        guard case .acknowledged(let acked) = before.acknowledge(history[0].alertID, by: "li-na", now: t0 + 1) else { return }
        history += acked
        var after = AlertEngine(rules: Self.quiet)
        after.restore(history: history)
        #expect(after.openAlerts.first?.acknowledgedBy == "li-na")
        #expect(after.tick(now: t0 + 3_600_000).isEmpty)
        #expect(after.ingest(r.next(bp(120, 80)), now: t0 + 2).events.map(\.closes) == [true])
        // A closed alert's history restores nothing.
        var closed = AlertEngine(rules: Self.quiet)
        closed.restore(history: history + before.ingest(r.next(bp(120, 80)), now: t0 + 2).events)
        #expect(closed.openAlertCount == 0)
    }

    @Test func warmingRestoresDuplicatesDelayCountersAndRateWindows() {
        var rules = Self.quiet
        let f = rules.families.firstIndex { $0.name == "bp.high" }!
        rules.families[f].delay = ConditionDelay(readings: 3)
        var r = ReadingSequence()
        let stored = [r.next(bp(165, 90)), r.next(bp(165, 90))]
        var e = AlertEngine(rules: rules)
        for reading in stored { e.warm(reading) }
        // The broker redelivers the last one: a duplicate, not a third violating reading.
        #expect(e.ingest(stored[1], now: t0).duplicate)
        // The third in a row raises, as it would have without the restart.
        #expect(e.ingest(r.next(bp(165, 90)), now: t0).events.map(\.rule) == ["bp.high"])

        // A CGM every 5 minutes: the 15-minute window survives the restart.
        let cgm = DeviceAddress(station: "st01", device: "cgm-1")
        func sample(_ i: Int64, _ v: Double) -> Reading { Reading(source: cgm, ts: t0 + i * 300_000, seq: i + 1, value: glucose(v)) }
        var g = AlertEngine(rules: Self.quiet)
        for (i, v) in [150.0, 145, 140].enumerated() { g.warm(sample(Int64(i), v)) }
        #expect(g.ingest(sample(3, 120), now: t0).events.map(\.rule) == ["glucose.falling"])
    }

    @Test func aSilentDevicesClockComesBackFromWhenItWasLastHeard() {
        var e = AlertEngine()
        e.restoreHeard(bedside, stream: .bp, at: t0)
        #expect(e.tick(now: t0 + 899_999).isEmpty)
        #expect(e.tick(now: t0 + 900_000).map(\.rule) == ["device.silent"])
    }

    @Test func newRulesKeepOpenAlertsAndApplyFromTheNextReading() {
        var e = AlertEngine(rules: Self.quiet)
        var r = ReadingSequence()
        let id = e.ingest(r.next(bp(165, 90)), now: t0).events[0].alertID
        var stricter = Self.quiet
        let f = stricter.families.firstIndex { $0.name == "bp.high" }!
        stricter.families[f].rules[1].conditions = [.init(.systolic, .atLeast, 150)]
        stricter.families.removeAll { $0.name == "bp.low" }
        e.replaceRules(stricter)
        // Still open under the new limit: 152 updates it, 144 resolves it.
        #expect(e.ingest(r.next(bp(152, 80)), now: t0).events.map(\.alertID) == [id])
        #expect(e.ingest(r.next(bp(144, 80)), now: t0).events.map(\.kind) == [.resolved])
        #expect(e.ingest(r.next(bp(85, 50)), now: t0).events.isEmpty)
        #expect(e.ingest(r.next(bp(152, 80)), now: t0).events.map(\.kind) == [.raised])
    }

    @Test func anAlertWhoseRuleWasRemovedCanStillBeAcknowledged() {
        var e = AlertEngine(rules: Self.quiet)
        var r = ReadingSequence()
        let id = e.ingest(r.next(bp(190, 80)), now: t0).events[0].alertID
        var fewer = Self.quiet
        fewer.families.removeAll { $0.name == "bp.high" }
        e.replaceRules(fewer)
        #expect(e.ingest(r.next(bp(120, 80)), now: t0).events.isEmpty)
        guard case .acknowledged(let events) = e.acknowledge(id, by: "li-na", now: t0 + 1) else {
            Issue.record("not acknowledged")
            return
        }
        #expect(events.map(\.kind) == [.acknowledged, .resolved])
        #expect(e.openAlertCount == 0)
    }
}
