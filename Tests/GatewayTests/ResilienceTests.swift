import CaregateTesting
import Foundation
import Storage
import Testing

/// Restarts and crashes: nothing acknowledged at QoS 1 is lost, nothing is stored twice.
@Suite struct ResilienceTests {
    func glucose(_ seq: Int) -> String { payload(ts: t0 + Int64(seq) * 60_000, seq: Int64(seq), #""mg_dl":110"#) }

    @Test func brokerRestartReconnectsResubscribesAndLosesNothing() throws {
        let station = try Station()
        let gateway = try station.startGateway()
        do {
            let device = try TestPublisher(broker: station.broker.url)
            for seq in 1...50 { try device.send("care/st01/cgm-7/glucose", glucose(seq)) }
            try device.waitUntilDelivered()
            station.waitForReadings(device: "cgm-7", count: 50)
        }
        try station.restartBroker()
        // The new broker has no session for the gateway: it must reconnect and subscribe again.
        #expect(Waiting.until(timeoutSeconds: 20) { gateway.log.components(separatedBy: "subscribed to").count - 1 >= 2 })
        let device = try TestPublisher(broker: station.broker.url)
        for seq in 51...100 { try device.send("care/st01/cgm-7/glucose", glucose(seq)) }
        try device.waitUntilDelivered()
        let rows = station.waitForReadings(device: "cgm-7", count: 100)
        #expect(rows.map(\.reading.seq) == Array(1...100).map(Int64.init))
        #expect(gateway.log.contains("lost the connection"))
    }

    @Test func aGatewayStartedBeforeItsBrokerConnectsWhenTheBrokerComes() throws {
        let station = try Station()
        station.broker.stop()
        let gateway = try station.startGateway(waitForConnection: false)
        #expect(gateway.waitForLog("retrying in"))
        try station.restartBroker()
        #expect(gateway.waitForLog("subscribed to", timeoutSeconds: 20))
        let device = try TestPublisher(broker: station.broker.url)
        try device.send("care/st01/cgm-6/glucose", glucose(1))
        #expect(station.waitForReadings(device: "cgm-6", count: 1).count == 1)
    }

    @Test func messagesPublishedWhileTheGatewayIsStoppedArriveOnceFromItsSession() throws {
        let station = try Station()
        try station.register("cgm-8", "bp-8")
        let first = try station.startGateway()
        let device = try TestPublisher(broker: station.broker.url)
        for seq in 1...20 { try device.send("care/st01/cgm-8/glucose", glucose(seq)) }
        station.waitForReadings(device: "cgm-8", count: 20)
        #expect(first.terminate() == 0)
        #expect(first.log.contains("caregate stopped"))

        // The gateway is away: the broker keeps its persistent session's messages.
        for seq in 21...60 { try device.send("care/st01/cgm-8/glucose", glucose(seq)) }
        try device.send("care/st01/bp-8/bp", payload(ts: t0, seq: 1, #""systolic":200,"diastolic":100"#))
        try device.waitUntilDelivered()

        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        try station.startGateway()
        let rows = station.waitForReadings(device: "cgm-8", count: 60)
        #expect(rows.map(\.reading.seq) == Array(1...60).map(Int64.init))
        #expect(nurse.waitFor(count: 1).first?.json?["rule"] as? String == "bp.crisis")
    }

    @Test func whatTheGatewayAcknowledgedSurvivesACrash() throws {
        let station = try Station()
        try station.register("cgm-9")
        // Commit to SQLite only every 10 minutes: everything here lives in the spool alone.
        let config = """
            station: st01
            storage:
              commit_interval_ms: 600000
              batch_rows: 1000000
            """
        let gateway = try station.startGateway(config: config)
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let device = try TestPublisher(broker: station.broker.url)
        for seq in 1...30 { try device.send("care/st01/cgm-9/glucose", glucose(seq)) }
        try device.send("care/st01/cgm-9/bp", payload(ts: t0, seq: 1, #""systolic":"broken""#))
        try device.send("care/st01/cgm-9/glucose", payload(ts: t0 + 31 * 60_000, seq: 31, #""mg_dl":45"#))
        // Messages are handled in order: once the alerts are out, all 32 were handled and acknowledged.
        #expect(nurse.waitFor(count: 2).compactMap { $0.json?["rule"] as? String } == ["glucose.very_low", "glucose.falling"])
        gateway.crash()
        #expect(((try? StoreReader(path: station.db).readings(device: "cgm-9")) ?? []).isEmpty)

        let restarted = try station.startGateway(config: config)
        #expect(restarted.waitForLog("kept in the spool by the previous run"))
        let rows = try StoreReader(path: station.db).readings(device: "cgm-9")
        #expect(rows.map(\.reading.seq) == Array(1...31).map(Int64.init))
        let alertEvents = try StoreReader(path: station.db).alertEvents()
        // 110 → 45 mg/dL within a minute: hypoglycaemia, and the fall that predicted it.
        #expect(alertEvents.count == 2 && alertEvents.allSatisfy { $0.contains(#""event":"raised""#) }, "\(alertEvents)")
        #expect(try StoreReader(path: station.db).rejections().map(\.kind) == ["wrong_type"])
        restarted.terminate()
        // A clean stop leaves nothing to replay, and replaying twice stores nothing twice.
        let again = try station.startGateway(config: config)
        again.terminate()
        #expect(!again.log.contains("kept in the spool"))
        #expect(try StoreReader(path: station.db).readings(device: "cgm-9").count == 31)
    }
}
