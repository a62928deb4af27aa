import AlertEngine
import Telemetry
import Testing

/// `device.unregistered`: once per device ever, low, resolved when the registry learns the device.
@Suite struct UnregisteredTests {
    func summary(_ events: [AlertEvent]) -> [String] {
        events.map { "\($0.kind.rawValue) \($0.rule) \($0.priority.name) \($0.source.device)" }
    }

    @Test func onceADeviceAndEachDeviceItsOwn() {
        var engine = AlertEngine()
        var cuff = ReadingSequence()
        var meter = ReadingSequence(source: DeviceAddress(station: "st01", device: "meter-2"))
        let first = cuff.next(bp(120, 80))
        #expect(summary(engine.unregistered(first, now: t0)) == ["raised device.unregistered low bp-000123"])
        #expect(engine.unregistered(cuff.next(bp(121, 80)), now: t0 + 1).isEmpty)
        #expect(summary(engine.unregistered(meter.next(glucose(100)), now: t0 + 2)) == ["raised device.unregistered low meter-2"])
        let open = engine.openAlerts.first { $0.source == bedside }
        #expect(open?.resident == nil)
        #expect(open?.stream == .bp)
        #expect(open?.escalationDue == nil, "low priority does not escalate by default")
    }

    @Test func registeringTheDeviceResolvesItAndItNeverComesBack() {
        var engine = AlertEngine()
        var cuff = ReadingSequence()
        _ = engine.unregistered(cuff.next(bp(120, 80)), now: t0)
        #expect(engine.registered({ $0.device == "someone-else" }, now: t0 + 1).isEmpty)
        let resolved = engine.registered({ $0 == bedside }, now: t0 + 2)
        #expect(summary(resolved) == ["resolved device.unregistered low bp-000123"])
        #expect(resolved.first?.closes == true)
        #expect(engine.openAlertCount == 0)
        #expect(engine.unregistered(cuff.next(bp(120, 80)), now: t0 + 3).isEmpty, "once per device, ever")
    }

    @Test func aRestartRemembersWhichDevicesHadOne() {
        var engine = AlertEngine()
        var cuff = ReadingSequence()
        let raised = engine.unregistered(cuff.next(bp(120, 80)), now: t0)
        var restarted = AlertEngine()
        restarted.restore(history: raised)
        restarted.restoreUnregistered(bedside, stream: .bp)
        #expect(restarted.unregistered(cuff.next(bp(120, 80)), now: t0 + 1).isEmpty)
        #expect(summary(restarted.registered({ _ in true }, now: t0 + 2)) == ["resolved device.unregistered low bp-000123"])

        var closedLongAgo = AlertEngine()
        closedLongAgo.restoreUnregistered(bedside, stream: .bp)
        #expect(closedLongAgo.unregistered(cuff.next(bp(120, 80)), now: t0 + 3).isEmpty)
    }

    @Test func aStationCanTurnItOffAndPickItsPriority() {
        var off = AlertEngine(rules: RuleBook(families: RuleBook.defaults.families, unregistered: nil))
        var cuff = ReadingSequence()
        #expect(off.unregistered(cuff.next(bp(120, 80)), now: t0).isEmpty)
        var medium = AlertEngine(rules: RuleBook(families: RuleBook.defaults.families, unregistered: .medium))
        #expect(summary(medium.unregistered(cuff.next(bp(120, 80)), now: t0)) == ["raised device.unregistered medium bp-000123"])
    }
}
