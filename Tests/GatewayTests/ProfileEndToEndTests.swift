import CaregateTesting
import Foundation
import Testing

/// Every profile through the real broker and the real binary, as a station would run it: the
/// vendor profiles loaded from `devices/`, the station's time zone from the config, samples of
/// `devices/*/samples` published as devices and bridges publish them.
@Suite struct ProfileEndToEndTests {
    static func sample(_ path: String) throws -> (topic: String, payload: [UInt8], expected: [String]) {
        let folder = DeviceFolderTests.devices.appendingPathComponent(path.replacingOccurrences(of: "/", with: "/samples/"))
        let topic = try String(contentsOf: folder.appendingPathComponent("topic"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = (try? String(contentsOf: folder.appendingPathComponent("expected.jsonl"), encoding: .utf8))?
            .split(separator: "\n").map(String.init) ?? []
        return (topic, try DeviceFolderTests.payload(in: folder), expected)
    }

    static func object(_ line: String) -> NSDictionary? {
        try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? NSDictionary
    }

    @Test func everyProfileIsStoredQueriedAndAlertedOn() throws {
        let station = try Station()
        // The station keeps a registry: its devices are known, and the kiosk's resident is known
        // by the ID-card number the kiosk sends.
        let registry = station.folder.file("registry.yaml")
        try """
            residents:
              - { id: r-0311, name: 张桂兰, station: st01, identifiers: ["110101195003070011"] }
            devices:
              - { id: st01/cuff-0042, kind: bp, profile: ble-gatt }
              - { id: st01/meter-0007, kind: glucose, profile: ble-gatt }
              - { id: st01/hub-0009, kind: glucose, profile: senml }
              - { id: st01/kiosk-02, kind: bp, profile: community-bp-kiosk, shared: true }
              - { id: st01/CGM-7781, kind: glucose, profile: cgm-cloud-bridge }
              - { id: st01/h10-0003, kind: ecg, profile: polar-pmd }
              - { id: st01/sos-9, kind: sos }
            """.write(toFile: registry, atomically: true, encoding: .utf8)
        let imported = try CaregateBinary.run(["residents", "import", registry, "--db", station.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        try station.startGateway(config: """
            station: st01
            time_zone: "+08:00"
            profiles:
              paths: [\(DeviceFolderTests.devices.path)]
            """)
        #expect(station.gateway?.log.contains("kiosk/st01/+/result") == true, "subscribes to the vendor topics")
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let bridge = try TestPublisher(broker: station.broker.url)
        let published = [
            "ble-gatt/2a35-crisis-no-pulse",         // bp.crisis, high
            "ble-gatt/2a18-control-solution",        // 48 mg/dL of control solution: stored, no alert
            "ble-gatt/2a35-systolic-nan",            // refused: not_finite
            "senml/glucose-series-kg-per-m3",        // three readings, all normal
            "community-bp-kiosk/reading-with-zone",  // 184/112: bp.crisis for the resident
            "cgm-cloud-bridge/batch-of-three",       // down to 61.254 mg/dL in 10 min: glucose.low and glucose.falling
            "polar-pmd-ecg/h10-clock-set",           // an ECG chunk
        ]
        for path in published {
            let s = try Self.sample(path)
            try bridge.send(s.topic, bytes: s.payload)
        }
        try bridge.waitUntilDelivered()

        // The readings, as `caregate query` prints them, are the samples' expectations.
        for (device, stream, paths) in [
            ("cuff-0042", "bp", ["ble-gatt/2a35-crisis-no-pulse"]),
            ("meter-0007", "glucose", ["ble-gatt/2a18-control-solution"]),
            ("hub-0009", "glucose", ["senml/glucose-series-kg-per-m3"]),
            ("kiosk-02", "bp", ["community-bp-kiosk/reading-with-zone"]),
            ("CGM-7781", "glucose", ["cgm-cloud-bridge/batch-of-three"]),
            ("h10-0003", "ecg", ["polar-pmd-ecg/h10-clock-set"]),
        ] {
            // The kiosk's ID-card number is the registry's resident r-0311.
            let expected = try paths.flatMap { try Self.sample($0).expected }
                .map { $0.replacingOccurrences(of: "110101195003070011", with: "r-0311") }
            station.waitForReadings(device: device, count: expected.count)
            let lines = try station.query(["readings", "--device", device, "--stream", stream, "--format", "jsonl"]).lines
            #expect(lines.map(Self.object) == expected.map(Self.object), "\(device): \(lines)")
        }

        let events = nurse.waitFor(count: 4).compactMap(\.json)
        let raised = events.filter { $0["event"] as? String == "raised" }
        #expect(raised.map { "\($0["device"] ?? "")/\($0["rule"] ?? "")" }.sorted()
            == ["CGM-7781/glucose.falling", "CGM-7781/glucose.low", "cuff-0042/bp.crisis", "kiosk-02/bp.crisis"])
        let kiosk = try #require(raised.first { $0["device"] as? String == "kiosk-02" })
        #expect(kiosk["resident"] as? String == "r-0311")
        let cgm = try #require(raised.first { $0["rule"] as? String == "glucose.low" })
        #expect(cgm["resident"] as? String == "R-1002")
        #expect((cgm["reading_seq"] as? NSNumber)?.int64Value == 290)

        let rejected = station.waitForRejections(count: 1)
        #expect(rejected.map(\.topic) == ["care/st01/cuff-0042/gatt/2A35"])
        #expect(rejected.first?.reason.hasPrefix("not_finite: systolic is the SFLOAT special value NaN") == true)
        // Nothing more was raised: the control solution, the normal series and the ECG are quiet.
        // An emergency call sent last is handled last, so once its alert is in, all are.
        try bridge.send("care/st01/sos-9/sos", payload(ts: t0, seq: 1, #""cause":"button""#))
        let all = nurse.waitFor(count: 5).compactMap(\.json)
        #expect(all.count == 5)
        #expect(all.last?["rule"] as? String == "sos.call")
    }

    @Test func aBadProfileFileStopsStartUpWithFileLineAndReason() throws {
        let station = try Station()
        let profile = station.folder.file("broken.yaml")
        try """
            profile: broken-kiosk
            kind: vendor-json
            topic: "kiosk/{station}/{device}/result"
            stream: bp
            fields:
              systolic: { path: sbp, unit: mg/dL }
              diastolic: dbp
            """.write(toFile: profile, atomically: true, encoding: .utf8)
        let config = station.folder.file("caregate.yaml")
        try "station: st01\nprofiles:\n  paths: [\(profile)]\n".write(toFile: config, atomically: true, encoding: .utf8)
        let run = try CaregateBinary.run(["run", "--config", config, "--db", station.db, "--mqtt-url", station.broker.url.description])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(profile):6: systolic may be in mmHg, kPa, Pa"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: station.db), "nothing is created before the profiles are read")

        let check = try CaregateBinary.run(["profiles", "check", profile])
        #expect(check.status == 1)
        #expect(check.stderr.contains("\(profile):6:"))
        let good = try CaregateBinary.run(["profiles", "check", DeviceFolderTests.devices.appendingPathComponent("cgm-cloud-bridge/profile.yaml").path])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains("cgm-cloud-bridge"))
    }
}
