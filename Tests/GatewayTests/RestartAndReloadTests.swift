import CaregateTesting
import Foundation
import Testing

/// A restart neither forgets an open alert nor raises it twice; SIGHUP takes a new rules file
/// and refuses a broken one.
@Suite struct RestartAndReloadTests {
    func config(high: String = "2m", rules: String? = nil) -> String {
        """
        station: st01
        on_call:
          tiers:
            - name: nurse on duty
            - name: head nurse
          escalate_after: {high: \(high)}
        storage:
          commit_interval_ms: 50
        \(rules.map { "rules:\n  file: \($0)" } ?? "")
        """
    }

    func events(_ nurse: CollectingSubscriber) -> [String] {
        nurse.received.compactMap(\.json).map { "\($0["event"] as? String ?? "") \($0["rule"] as? String ?? "")" }
    }

    @Test func openAlertsSurviveARestartWithTheirIds() throws {
        let station = try Station()
        try station.register("bp-1")
        var gateway = try station.startGateway(config: config())
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let cuff = try TestPublisher(broker: station.broker.url)
        let crisis = payload(ts: t0, seq: 1, #""systolic":192,"diastolic":91,"resident":"r-1""#)
        try cuff.send("care/st01/bp-1/bp", crisis)
        let raised = nurse.waitFor(count: 1)
        let id = try #require(raised.first?.json?["id"] as? String)
        #expect(gateway.terminate() == 0)

        gateway = try station.startGateway(config: config())
        #expect(gateway.log.contains("restored 1 open alerts"))
        // The same message again (as a redelivery would bring it): a duplicate, no new event.
        try cuff.send("care/st01/bp-1/bp", crisis)
        // A further crisis updates the alert raised before the restart, never raises a second one.
        try cuff.send("care/st01/bp-1/bp", payload(ts: t0 + 60_000, seq: 2, #""systolic":195,"diastolic":91,"resident":"r-1""#))
        let after = nurse.waitFor(count: 2)
        #expect(events(nurse) == ["raised bp.crisis", "updated bp.crisis"])
        #expect(after.last?.json?["id"] as? String == id)
        #expect(after.last?.json?["count"] as? Int == 2)
        Waiting.until(timeoutSeconds: 10) { (try? station.query(["readings", "--device", "bp-1", "--format", "jsonl"]).lines.count) == 2 }
        #expect(try station.query(["readings", "--device", "bp-1", "--format", "jsonl"]).lines.count == 2)
    }

    @Test func anEscalationDueWhileTheGatewayWasDownFiresAtStart() throws {
        let station = try Station()
        try station.register("cgm-1")
        var gateway = try station.startGateway(config: config(high: "1s"))
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let cuff = try TestPublisher(broker: station.broker.url)
        try cuff.send("care/st01/cgm-1/glucose", payload(ts: t0, seq: 1, #""mg_dl":45"#))
        nurse.waitFor(count: 1)
        gateway.crash()
        let down = events(nurse).count
        // Down for longer than the timeout (the subscriber sees nothing meanwhile).
        #expect(!Waiting.until(timeoutSeconds: 1.5) { events(nurse).count > down })
        gateway = try station.startGateway(config: config(high: "1s"))
        #expect(Waiting.until(timeoutSeconds: 5) { events(nurse).contains("escalated glucose.very_low") })
        let escalated = nurse.received.compactMap(\.json).first { $0["event"] as? String == "escalated" }
        #expect(escalated?["tier"] as? Int == 2)
        #expect(escalated?["id"] as? String == nurse.received.first?.json?["id"] as? String)
    }

    @Test func eventsOfTimersAndPeopleSurviveACrashBeforeTheirCommit() throws {
        let station = try Station()
        try station.register("bp-1")
        // Nothing reaches SQLite in this test's time: only the spool has the events.
        let slow = config(high: "1s").replacingOccurrences(of: "commit_interval_ms: 50", with: "commit_interval_ms: 600000\n  batch_rows: 1000000")
        let gateway = try station.startGateway(config: slow)
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let cuff = try TestPublisher(broker: station.broker.url)
        try cuff.send("care/st01/bp-1/bp", payload(ts: t0, seq: 1, #""systolic":192,"diastolic":91"#))
        #expect(Waiting.until(timeoutSeconds: 10) { events(nurse).contains("escalated bp.crisis") })
        let id = try #require(nurse.received.first?.json?["id"] as? String)
        let app = try TestPublisher(broker: station.broker.url)
        try app.send("care/st01/alerts/ack", #"{"id":"\#(id)","by":"li-na"}"#)
        #expect(Waiting.until(timeoutSeconds: 10) { events(nurse).contains("acknowledged bp.crisis") })
        gateway.crash()

        let restarted = try station.startGateway(config: slow)
        #expect(restarted.log.contains("kept in the spool by the previous run"))
        let rows = try station.rows("SELECT event, cause, coalesce(by, '-') FROM alert_events WHERE alert_id = '\(id)' ORDER BY n")
        #expect(rows.first == "raised|reading|-")
        #expect(rows.contains("escalated|timer|-"))
        #expect(rows.last == "acknowledged|person|li-na")
        // Acknowledged and still active: on the board, and it does not escalate again.
        #expect(restarted.log.contains("restored 1 open alerts"))
        let before = events(nurse).count
        #expect(!Waiting.until(timeoutSeconds: 1.5) { events(nurse).count > before })
    }

    @Test func sighupTakesANewRulesFileAndRefusesABrokenOne() throws {
        let station = try Station()
        try station.register("bp-1", "bp-2")
        let rules = station.folder.file("rules.yaml")
        try RulesFixtures.shipped.write(toFile: rules, atomically: true, encoding: .utf8)
        let gateway = try station.startGateway(config: config(rules: rules))
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let cuff = try TestPublisher(broker: station.broker.url)
        try cuff.send("care/st01/bp-1/bp", payload(ts: t0, seq: 1, #""systolic":155,"diastolic":80"#))
        try cuff.waitUntilDelivered()

        // The family doctor sets 150 for bp.high: reload.
        try RulesFixtures.shipped.replacingOccurrences(of: "when: [systolic >= 160, diastolic >= 100]", with: "when: [systolic >= 150, diastolic >= 100]")
            .write(toFile: rules, atomically: true, encoding: .utf8)
        gateway.reload()
        #expect(gateway.waitForLog("reloaded the rules from \(rules): 7 families, 0 overrides"))
        try cuff.send("care/st01/bp-1/bp", payload(ts: t0 + 60_000, seq: 2, #""systolic":155,"diastolic":80"#))
        nurse.waitFor(count: 1)
        #expect(events(nurse) == ["raised bp.high"])

        // A broken file is refused with its line and reason; the running rules (150) stay.
        try "version: 1\nfamilies:\n  bp.high:\n    stream: bp\n    rules: []\n".write(toFile: rules, atomically: true, encoding: .utf8)
        gateway.reload()
        #expect(gateway.waitForLog("reload refused, the running rules stay: \(rules):5:"))
        try cuff.send("care/st01/bp-2/bp", payload(ts: t0, seq: 1, #""systolic":152,"diastolic":80"#))
        nurse.waitFor(count: 2)
        #expect(events(nurse) == ["raised bp.high", "raised bp.high"])
    }

    @Test func aBrokenRulesFileStopsTheStartWithItsReason() throws {
        let station = try Station()
        let rules = station.folder.file("rules.yaml")
        try "version: 1\nfamilies:\n  bp.high:\n    stream: bloodpressure\n".write(toFile: rules, atomically: true, encoding: .utf8)
        let gateway = try station.startGateway(config: config(rules: rules), waitForConnection: false)
        gateway.process.waitUntilExit()
        #expect(gateway.process.terminationStatus == 1)
        #expect(gateway.log.contains("\(rules):4: stream must be one of"))
    }
}
