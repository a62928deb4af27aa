import CaregateTesting
import Foundation
import Testing

/// A dangerous reading reaches the nurse's subscriber as a §3 alert event, and is stored.
@Suite struct AlertTests {
    @Test func crisisIsRaisedUpdatedAndResolvedOnTheAlertsTopic() throws {
        let station = try Station()
        try station.register("bp-000123")
        try station.startGateway()
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let cuff = try TestPublisher(broker: station.broker.url)
        try cuff.send("care/st01/bp-000123/bp", payload(ts: t0, seq: 17, #""systolic":192,"diastolic":91,"pulse":78"#))
        try cuff.send("care/st01/bp-000123/bp", payload(ts: t0 + 60_000, seq: 18, #""systolic":170,"diastolic":91"#))
        try cuff.send("care/st01/bp-000123/bp", payload(ts: t0 + 120_000, seq: 19, #""systolic":150,"diastolic":90"#))
        let events = nurse.waitFor(count: 3).compactMap(\.json)
        try #require(events.count == 3)
        #expect(events.map { $0["event"] as? String } == ["raised", "updated", "resolved"])
        #expect(Set(events.compactMap { $0["id"] as? String }).count == 1)
        let raised = events[0]
        #expect(raised["rule"] as? String == "bp.crisis")
        #expect(raised["priority"] as? String == "high")
        #expect(raised["station"] as? String == "st01")
        #expect(raised["device"] as? String == "bp-000123")
        #expect(raised["stream"] as? String == "bp")
        #expect(raised["resident"] is NSNull)
        #expect((raised["reading_ts"] as? NSNumber)?.int64Value == t0)
        #expect((raised["reading_seq"] as? NSNumber)?.int64Value == 17)
        #expect((raised["value"] as? [String: Any])?["systolic"] as? Double == 192)
        #expect(((raised["at"] as? NSNumber)?.int64Value ?? 0) > 0)

        Waiting.until(timeoutSeconds: 10) { (try? station.query(["alerts", "--format", "jsonl"]).lines.count) == 3 }
        let stored = try station.query(["alerts", "--format", "jsonl"])
        #expect(stored.lines == nurse.received.map(\.text))
    }

    @Test func emergencyCallAndLowBattery() throws {
        let station = try Station()
        try station.register("sos-000311")
        try station.startGateway()
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/+/alerts")
        let button = try TestPublisher(broker: station.broker.url)
        try button.send("care/st01/sos-000311/sos", payload(ts: t0, seq: 3, #""cause":"fall""#))
        try button.send("care/st01/sos-000311/status", payload(ts: t0, seq: 1, #""battery":12"#))
        try button.send("care/st01/sos-000311/sos", payload(ts: t0 + 5_000, seq: 4, #""cause":"fall","cancel":true"#))
        let events = nurse.waitFor(count: 3).compactMap(\.json)
        let summary = events.map { "\($0["event"] as? String ?? "") \($0["rule"] as? String ?? "") \($0["priority"] as? String ?? "")" }
        #expect(summary == ["raised sos.call high", "raised device.battery low", "resolved sos.call high"])
    }
}
