import DeviceProfiles
import Telemetry
import Testing

@Suite("CareTopic: care/{station}/{device}/{stream}")
struct CareTopicTests {
    @Test(
        "well-formed reading topics",
        arguments: [
            ("care/st01/bp-000123/bp", "st01", "bp-000123", StreamKind.bp),
            ("care/st01/cgm-000042/glucose", "st01", "cgm-000042", .glucose),
            ("care/st01/ecg-000007/ecg", "st01", "ecg-000007", .ecg),
            ("care/st01/sos-000311/sos", "st01", "sos-000311", .sos),
            ("care/st01/bp-000123/status", "st01", "bp-000123", .status),
            ("care/a/B/bp", "a", "B", .bp),
            ("care/community-station-7/Dev.A_b-9/bp", "community-station-7", "Dev.A_b-9", .bp),
            ("care/" + String(repeating: "s", count: 32) + "/" + String(repeating: "D", count: 64) + "/sos",
             String(repeating: "s", count: 32), String(repeating: "D", count: 64), .sos),
            ("care/st01/alerts2/bp", "st01", "alerts2", .bp),
            ("care/st01/Alerts/bp", "st01", "Alerts", .bp),
        ])
    func reading(topic: String, station: String, device: String, stream: StreamKind) {
        #expect(CareTopic.parse(topic) == .success(.reading(DeviceAddress(station: station, device: device), stream)))
    }

    @Test("the built-in profiles' topics")
    func profileTopics() {
        let device = DeviceAddress(station: "st01", device: "cuff-1")
        #expect(CareTopic.parse("care/st01/cuff-1/senml") == .success(.senml(device)))
        #expect(CareTopic.parse("care/st01/cuff-1/pmd") == .success(.polarPMD(device)))
        #expect(CareTopic.parse("care/st01/cuff-1/gatt/2A35") == .success(.gatt(device, characteristic: 0x2A35)))
        #expect(CareTopic.parse("care/st01/cuff-1/gatt/2a18") == .success(.gatt(device, characteristic: 0x2A18)))
        for bad in ["care/st01/cuff-1/gatt/2A3", "care/st01/cuff-1/gatt/2A355", "care/st01/cuff-1/gatt/ZZZZ",
                    "care/st01/cuff-1/bp/2A35", "care/st01/cuff-1/gatt/", "care/st01/alerts/gatt/2A35"] {
            #expect(CareTopic.parse(bad).kind == .badTopic, "\(bad)")
        }
    }

    @Test("the acknowledgement topic")
    func acknowledgement() {
        #expect(CareTopic.parse("care/st01/alerts/ack") == .success(.acknowledgement(station: "st01")))
    }

    @Test(
        "malformed topics are bad_topic",
        arguments: [
            "", "care", "care/", "care/st01", "care/st01/bp-1", "care/st01/bp-1/", "/care/st01/bp-1/bp",
            "care/st01/bp-1/bp/", "care/st01/bp-1/bp/extra", "care//bp-1/bp", "care/st01//bp", "Care/st01/bp-1/bp",
            "cares/st01/bp-1/bp", "x/st01/bp-1/bp", "care/ST01/bp-1/bp", "care/st_01/bp-1/bp", "care/st.01/bp-1/bp",
            "care/" + String(repeating: "s", count: 33) + "/bp-1/bp",
            "care/st01/" + String(repeating: "d", count: 65) + "/bp",
            "care/st01/bp 1/bp", "care/st01/bp+1/bp", "care/st01/+/bp", "care/st01/#", "care/st01/bp-1/+",
            "care/st01/bp-1/#", "care/st01/bp-1/b p", "care/st01/bp-é/bp", "care/sté/bp-1/bp",
            "care/st01/alerts/bp", "care/st01/alerts/ACK", "care/st01/alerts/ack/x", "care/st01/alerts",
            "care/st01/alerts/", "care/st01/bp-1/" + String(repeating: "x", count: 65),
        ])
    func bad(topic: String) {
        #expect(CareTopic.parse(topic).kind == .badTopic)
    }

    @Test(
        "well-formed topics with another stream name are unknown_stream",
        arguments: ["care/st01/bp-1/weight", "care/st01/bp-1/BP", "care/st01/bp-1/SenML", "care/st01/bp-1/ack",
                    "care/st01/bp-1/glucose2", "care/st01/bp-1/alerts"])
    func unknownStream(topic: String) {
        #expect(CareTopic.parse(topic).kind == .unknownStream)
    }

    @Test("details name the rule, not the topic")
    func detailsAreGeneric() {
        let r = Fixture.rejection(CareTopic.parse("care/ST-SECRET/bp-1/bp"))
        #expect(r?.detail.contains("SECRET") == false)
    }
}

extension Result where Failure == Rejection {
    var kind: RejectionKind? { Fixture.kind(self) }
}
