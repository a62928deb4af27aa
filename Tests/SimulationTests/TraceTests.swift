import Foundation
import Testing
@testable import Simulation

@Suite("Traces and recordings")
struct TraceTests {
    @Test("a trace keeps text and binary payloads, times and QoS")
    func roundTrip() throws {
        let text = Array(#"{"ts":1764000000000,"seq":1,"systolic":"ünïcode"}"#.utf8)
        let binary: [UInt8] = [0x06, 0x8A, 0x00, 0x00, 0xFF]
        var file = Trace.header(recordedAt: 1_764_000_000_000) + "\n"
        text.withUnsafeBytes { file += Trace.line(offset: 0, topic: "care/st01/bp-1/bp", qos: 1, payload: $0) + "\n" }
        binary.withUnsafeBytes { file += Trace.line(offset: 1250, topic: "care/st01/cuff-1/gatt/2A35", qos: 0, payload: $0) + "\n" }
        let trace = try Trace.load(scenarioFile(file, name: "t.jsonl"))
        #expect(trace.recordedAt == 1_764_000_000_000)
        #expect(trace.messages.map(\.payload) == [text, binary])
        #expect(trace.messages.map(\.offset) == [0, 1250])
        #expect(trace.qos == [1, 0])
        #expect(trace.messages.map(\.device) == ["bp-1", "cuff-1"])
    }

    @Test("a broken trace is refused at its line", arguments: [
        (#"{"t":0,"topic":"care/a/b/bp","payload":"{}"}"# + "\n" + #"{"t":5,"topic":"care/a/b/bp"}"#, 2, "missing payload"),
        (#"{"t":9,"topic":"care/a/b/bp","payload":"{}"}"# + "\n" + #"{"t":5,"topic":"care/a/b/bp","payload":"{}"}"#, 2, "time order"),
        ("not json", 1, "not a JSON object"),
        (#"{"t":0,"topic":"care/a/b/bp","payload_hex":"0g"}"#, 1, "hex"),
    ] as [(String, Int, String)])
    func broken(text: String, line: Int, message: String) {
        let path = scenarioFile(text, name: "bad.jsonl")
        #expect {
            try Trace.load(path)
        } throws: { error in
            let e = error as! ScenarioError
            return e.line == line && e.message.contains(message)
        }
    }

    @Test("retiming moves every ts field and nothing else")
    func retime() {
        let moved = Trace.retime(Array(#"{"ts":1000,"seq":1000,"x":{"ts":5}}"#.utf8), by: 250)
        #expect(String(decoding: moved, as: UTF8.self) == #"{"ts":1250,"seq":1000,"x":{"ts":255}}"#)
        #expect(Trace.retime([0x06, 0x01], by: 250) == [0x06, 0x01])
    }

    @Test("the MIT-BIH ECG replays in chunks of its own rate, exact to the microvolt")
    func ecg() throws {
        let path = Repository.recordings + "/ecg_mitdb100_1370-1670s_360hz.csv"
        let messages = try RecordedTraffic.load(path, .init(station: "st01"), startMillis: 0)
        #expect(messages.count == 108_000 / 36)
        #expect(messages[1].offset == 100 && messages.last!.offset == 299_900)
        let first = try JSONSerialization.jsonObject(with: Data(messages[0].payload)) as! [String: Any]
        #expect(first["hz"] as? Int == 360 && first["uv_per_lsb"] as? Int == 5 && (first["samples"] as? [Int])?.count == 36)
        let recording = try ECGRecording.load(csv: path)
        #expect(recording.samples.count == 108_000 && recording.uvPerLSB == 5)
        #expect(messages[0].topic == "care/st01/ecg-mitdb100-1370-1670s-360hz/ecg")
    }

    @Test("a CGM trace at its own times; a BP survey as a kiosk naming each person")
    func glucoseAndSurvey() throws {
        let cgm = try RecordedTraffic.load(Repository.recordings + "/cgm_sim_adolescent002.csv", .init(station: "st01", device: "cgm-7"), startMillis: 0)
        #expect(cgm.count == 864 && cgm[1].offset == 300_000)
        #expect(String(decoding: cgm[0].payload, as: UTF8.self) == #"{"ts":0,"seq":1,"mg_dl":167,"context":"random"}"#)
        let survey = try RecordedTraffic.load(Repository.recordings + "/bp_nhefs1982_shared.csv", .init(station: "st01", interval: 30_000), startMillis: 0)
        #expect(survey.count == 782 && survey[1].offset == 30_000)
        #expect(String(decoding: survey[0].payload, as: UTF8.self) == #"{"ts":0,"seq":1,"resident":"nhefs-233","systolic":175,"diastolic":96}"#)
        #expect(throws: ScenarioError.self) { try RecordedTraffic.load(Repository.recordings + "/README.md", .init(station: "st01"), startMillis: 0) }
        #expect(throws: ScenarioError.self) { try RecordedTraffic.load(Repository.recordings + "/ecg_bsnb_rest_20s_100hz.csv", .init(station: "st01", hz: 4000), startMillis: 0) }
    }
}
