import CaregateTesting
import Foundation
import Storage
import Testing

/// The registry at work in the running gateway: readings belong to the resident the device was
/// assigned to at the reading's time, a shared kiosk's to the resident it names, an unknown
/// device raises one `device.unregistered` (also across a restart), and a resident's own limits
/// decide their alerts. Changes made with the commands take effect without a restart.
@Suite struct RegistryEndToEndTests {
    static let registry = """
        residents:
          - { id: r-0001, name: 王秀英, station: st01, identifiers: ["110101194103021234"],
              limits: { bp.high: [systolic >= 150, diastolic >= 95] } }
          - { id: r-0002, name: 李国强, station: st01 }
        devices:
          - { id: st01/bp-1, kind: bp, resident: r-0001, from: "\(t0)" }
          - { id: st01/bp-2, kind: bp, resident: r-0002, from: "\(t0)" }
          - { id: st01/kiosk-1, kind: bp, shared: true }
        """

    func residents(_ station: Station, device: String) throws -> [String] {
        try station.query(["readings", "--device", device, "--format", "jsonl"]).lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return "\(object?["seq"] ?? "")=\(object?["resident"] as? String ?? "none")"
        }
    }

    func summary(_ messages: [CollectingSubscriber.Message]) -> [String] {
        messages.compactMap(\.json).map { "\($0["event"] as? String ?? "") \($0["rule"] as? String ?? "") \($0["device"] as? String ?? "") \($0["resident"] as? String ?? "none")" }
    }

    @Test func readingsBelongToTheAssignmentAtTheirTimeAndToTheResidentAKioskNames() throws {
        let station = try Station()
        let file = station.folder.file("registry.yaml")
        try Self.registry.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CaregateBinary.run(["residents", "import", file, "--db", station.db]).status == 0)
        let gateway = try station.startGateway()
        let devices = try TestPublisher(broker: station.broker.url)
        let normal = #""systolic":120,"diastolic":80"#
        try devices.send("care/st01/bp-1/bp", payload(ts: t0 - 1, seq: 1, normal))           // before anyone had it
        try devices.send("care/st01/bp-1/bp", payload(ts: t0 + 1000, seq: 2, normal))        // r-0001's
        try devices.send("care/st01/kiosk-1/bp", payload(ts: t0, seq: 1, normal + #","resident":"110101194103021234""#))
        try devices.send("care/st01/kiosk-1/bp", payload(ts: t0 + 1, seq: 2, normal + #","resident":"r-0002""#))
        station.waitForReadings(device: "bp-1", count: 2)
        station.waitForReadings(device: "kiosk-1", count: 2)

        // The cuff passes to r-0002 from t0 + 1 day, while the gateway runs.
        let day: Int64 = 86_400_000
        let moved = try CaregateBinary.run(["devices", "assign", "bp-1", "--resident", "r-0002", "--from", "\(t0 + day)", "--db", station.db])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(gateway.waitForLog("the registry changed"))
        try devices.send("care/st01/bp-1/bp", payload(ts: t0 + day - 1, seq: 3, normal))     // still r-0001's
        try devices.send("care/st01/bp-1/bp", payload(ts: t0 + day, seq: 4, normal))         // r-0002's
        station.waitForReadings(device: "bp-1", count: 4)
        #expect(try residents(station, device: "bp-1") == ["1=none", "2=r-0001", "3=r-0001", "4=r-0002"])
        #expect(try residents(station, device: "kiosk-1") == ["1=r-0001", "2=r-0002"])
    }

    @Test func anUnknownDeviceRaisesOneAlertEvenAcrossARestartAndRegisteringItResolvesIt() throws {
        let station = try Station()
        let file = station.folder.file("registry.yaml")
        try Self.registry.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CaregateBinary.run(["residents", "import", file, "--db", station.db]).status == 0)
        var gateway = try station.startGateway()
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let stranger = try TestPublisher(broker: station.broker.url)
        try stranger.send("care/st01/bp-77/bp", payload(ts: t0, seq: 1, #""systolic":121,"diastolic":80"#))
        try stranger.send("care/st01/bp-77/bp", payload(ts: t0 + 60_000, seq: 2, #""systolic":122,"diastolic":80"#))
        station.waitForReadings(device: "bp-77", count: 2)
        #expect(try residents(station, device: "bp-77") == ["1=none", "2=none"], "stored, unassigned")
        #expect(summary(nurse.waitFor(count: 1)) == ["raised device.unregistered bp-77 none"])
        let raised = try #require(nurse.received.first?.json)
        #expect(raised["priority"] as? String == "low")
        #expect((raised["reading_seq"] as? NSNumber)?.int64Value == 1)
        #expect(gateway.terminate() == 0)

        gateway = try station.startGateway()
        try stranger.send("care/st01/bp-77/bp", payload(ts: t0 + 120_000, seq: 3, #""systolic":123,"diastolic":80"#))
        station.waitForReadings(device: "bp-77", count: 3)
        let registered = try CaregateBinary.run(["devices", "register", "st01/bp-77", "--kind", "bp", "--db", station.db])
        #expect(registered.status == 0, "\(registered.stderr)")
        let events = summary(nurse.waitFor(count: 2))
        #expect(events == ["raised device.unregistered bp-77 none", "resolved device.unregistered bp-77 none"], "no second alert after the restart")
        #expect(nurse.received.last?.json?["id"] as? String == raised["id"] as? String)
        Waiting.until(timeoutSeconds: 10) { (try? station.query(["alerts", "--format", "jsonl"]).lines.count) == 2 }
        #expect(try station.rows("SELECT event, cause, rule FROM alert_events ORDER BY at") == ["raised|reading|device.unregistered", "resolved|registry|device.unregistered"])
        _ = gateway
    }

    @Test func aResidentsOwnLimitsDecideTheirAlertsAndAnImportChangesThemLive() throws {
        let station = try Station()
        let file = station.folder.file("registry.yaml")
        try Self.registry.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CaregateBinary.run(["residents", "import", file, "--db", station.db]).status == 0)
        let gateway = try station.startGateway()
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let cuffs = try TestPublisher(broker: station.broker.url)
        // 152/80: over r-0001's target of 150, under the station's 160.
        try cuffs.send("care/st01/bp-2/bp", payload(ts: t0 + 1, seq: 1, #""systolic":152,"diastolic":80"#))
        try cuffs.send("care/st01/bp-1/bp", payload(ts: t0 + 1, seq: 1, #""systolic":152,"diastolic":80"#))
        #expect(summary(nurse.waitFor(count: 1)) == ["raised bp.high bp-1 r-0001"])

        // The doctor relaxes r-0002's too: the same reading now raises for them.
        try (Self.registry.replacingOccurrences(of: "{ id: r-0002, name: 李国强, station: st01 }",
                                                with: "{ id: r-0002, name: 李国强, station: st01, limits: { bp.high: [systolic >= 145] } }"))
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CaregateBinary.run(["residents", "import", file, "--db", station.db]).status == 0)
        #expect(gateway.waitForLog("the registry changed"))
        try cuffs.send("care/st01/bp-2/bp", payload(ts: t0 + 60_000, seq: 2, #""systolic":152,"diastolic":80"#))
        #expect(summary(nurse.waitFor(count: 2)) == ["raised bp.high bp-1 r-0001", "raised bp.high bp-2 r-0002"])
    }
}
