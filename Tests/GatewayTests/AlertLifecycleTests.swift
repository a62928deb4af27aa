import CaregateTesting
import Foundation
import Testing

/// The alert lifecycle end to end through a real broker and the real binary: escalation up the
/// on-call tiers, acknowledgement over MQTT and from the command line, the board.
@Suite struct AlertLifecycleTests {
    static let onCall = """
        station: st01
        on_call:
          tiers:
            - name: nurse on duty
              members: [li-na]
            - name: head nurse
              members: [zhang-wei]
          escalate_after:
            high: 1s
            medium: 10m
            low: never
        storage:
          commit_interval_ms: 50
        """

    func summary(_ messages: [CollectingSubscriber.Message]) -> [String] {
        messages.compactMap(\.json).map { "\($0["event"] as? String ?? "") \($0["rule"] as? String ?? "")\(($0["tier"] as? Int).map { " \($0)" } ?? "")" }
    }

    @Test func anUnansweredCrisisEscalatesAndAnAcknowledgementOverMQTTStopsIt() throws {
        let station = try Station()
        try station.register("bp-1")
        let gateway = try station.startGateway(config: Self.onCall)
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let cuff = try TestPublisher(broker: station.broker.url)
        try cuff.send("care/st01/bp-1/bp", payload(ts: t0, seq: 1, #""systolic":192,"diastolic":91"#))
        let escalated = nurse.waitFor(count: 2)
        #expect(summary(escalated) == ["raised bp.crisis", "escalated bp.crisis 2"])
        let id = try #require(escalated.first?.json?["id"] as? String)
        #expect(gateway.waitForLog("escalated to tier 2 (head nurse: zhang-wei)"))

        let app = try TestPublisher(broker: station.broker.url)
        try app.send("care/st01/alerts/ack", #"{"id":"\#(id)","by":"li-na"}"#)
        func afterAck() -> [String] {
            summary(Array(nurse.received.drop { $0.json?["event"] as? String != "acknowledged" }))
        }
        #expect(Waiting.until(timeoutSeconds: 10) { afterAck().count == 1 })
        #expect(nurse.received.first { $0.json?["event"] as? String == "acknowledged" }?.json?["by"] as? String == "li-na")
        #expect(gateway.waitForLog("acknowledged by li-na"))
        // Escalation stopped: a whole escalation period passes with the crisis still active and nothing comes.
        #expect(!Waiting.until(timeoutSeconds: 1.5) { afterAck().count > 1 })
        try cuff.send("care/st01/bp-1/bp", payload(ts: t0 + 60_000, seq: 2, #""systolic":120,"diastolic":80"#))
        #expect(Waiting.until(timeoutSeconds: 10) { afterAck() == ["acknowledged bp.crisis", "resolved bp.crisis"] })

        // Acknowledging it again, or an alert that never was, is answered in the log, not applied.
        try app.send("care/st01/alerts/ack", #"{"id":"\#(id)","by":"wang"}"#)
        try app.send("care/st01/alerts/ack", #"{"id":"a-nope-1","by":"wang"}"#)
        #expect(gateway.waitForLog("acknowledgement of alert a-nope-1 not taken: no open alert has that id in station st01"))
        // A malformed acknowledgement is quarantined like any bad message.
        try app.send("care/st01/alerts/ack", #"{"id":"\#(id)"}"#)
        let rejected = station.waitForRejections(count: 1)
        #expect(rejected.first?.topic == "care/st01/alerts/ack")
        #expect(afterAck().count == 2)

        // Every lifecycle event is stored with its cause.
        Waiting.until(timeoutSeconds: 10) { (try? station.query(["alerts", "--format", "jsonl"]).lines.count) == nurse.received.count }
        let rows = try station.rows("SELECT event, cause, coalesce(by, '-') FROM alert_events WHERE alert_id = '\(id)' ORDER BY n")
        #expect(rows.first == "raised|reading|-")
        #expect(rows.contains("escalated|timer|-"))
        #expect(rows.suffix(2) == ["acknowledged|person|li-na", "resolved|reading|-"])
    }

    @Test func theCommandLineListsTheBoardAndAcknowledges() throws {
        let station = try Station()
        try station.register("sos-1", "cgm-1")
        try station.startGateway(config: Self.onCall)
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let button = try TestPublisher(broker: station.broker.url)
        try button.send("care/st01/sos-1/sos", payload(ts: t0, seq: 1, #""cause":"fall","resident":"r-7""#))
        try button.send("care/st01/cgm-1/glucose", payload(ts: t0, seq: 1, #""mg_dl":62"#))
        let raised = nurse.waitFor(count: 2)
        let sosID = try #require(raised.first { $0.json?["rule"] as? String == "sos.call" }?.json?["id"] as? String)

        var board: [String] = []
        Waiting.until(timeoutSeconds: 10) {
            board = (try? CaregateBinary.run(["alerts", "list", "--format", "jsonl", "--db", station.db]).lines) ?? []
            return board.count == 2
        }
        #expect(board.count == 2)
        let first = try #require(board.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(first["rule"] as? String == "sos.call") // most urgent first
        #expect(first["resident"] as? String == "r-7")
        #expect(first["state"] as? String == "active")
        let table = try CaregateBinary.run(["alerts", "list", "--db", station.db])
        #expect(table.status == 0)
        #expect(table.stdout.contains("emergency call: fall") && table.stdout.contains("62 mg/dL"))

        let ack = try CaregateBinary.run(["alerts", "ack", sosID, "--by", "li-na", "--mqtt-url", station.broker.url.description, "--db", station.db])
        #expect(ack.status == 0, "\(ack.stderr)")
        #expect(ack.stdout.contains("acknowledged \(sosID) (sos.call, high, st01/sos-1, resident r-7) by li-na; the emergency call is resolved"))
        #expect(summary(nurse.waitFor(count: 4).suffix(2)) == ["acknowledged sos.call", "resolved sos.call"])

        Waiting.until(timeoutSeconds: 10) {
            (try? CaregateBinary.run(["alerts", "list", "--format", "jsonl", "--db", station.db]).lines.count) == 1
        }
        let again = try CaregateBinary.run(["alerts", "ack", sosID, "--by", "wang", "--mqtt-url", station.broker.url.description, "--db", station.db])
        #expect(again.status == 1)
        #expect(again.stderr.contains("alert \(sosID) was acknowledged already by li-na"))
        let unknown = try CaregateBinary.run(["alerts", "ack", "a-nope-1", "--by", "wang", "--db", station.db])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "caregate: no alert a-nope-1 in \(station.db)\n")
        let usage = try CaregateBinary.run(["alerts", "ack", sosID, "--db", station.db])
        #expect(usage.status == 2)
    }

    @Test func aSilentDeviceIsATechnicalAlarmUntilItSpeaks() throws {
        let station = try Station()
        try station.register("ecg-7")
        let rules = station.folder.file("rules.yaml")
        try RulesFixtures.shipped.replacingOccurrences(of: "default: 15m", with: "default: 1s")
            .write(toFile: rules, atomically: true, encoding: .utf8)
        try station.startGateway(config: Self.onCall + "\nrules:\n  file: \(rules)\n")
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let patch = try TestPublisher(broker: station.broker.url)
        try patch.send("care/st01/ecg-7/status", payload(ts: t0, seq: 1, #""battery":80"#))
        let silent = nurse.waitFor(count: 1, timeoutSeconds: 5)
        #expect(summary(silent) == ["raised device.silent"])
        #expect(silent.first?.json?["priority"] as? String == "low")
        try patch.send("care/st01/ecg-7/status", payload(ts: t0 + 5_000, seq: 2, #""battery":80"#))
        #expect(summary(nurse.waitFor(count: 2)).last == "resolved device.silent")
    }
}
