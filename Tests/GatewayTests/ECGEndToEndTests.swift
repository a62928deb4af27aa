import CaregateTesting
import ECGAnalysis
import Foundation
import Storage
import Telemetry
import Testing

/// A real recording through the real broker and gateway: every beat the gateway finds is
/// stored, and `caregate query readings --stream beat` gives them for checking from outside.
@Suite("ECG analysis end to end")
struct ECGEndToEndTests {
    static let recordings = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("simulators/recordings").path

    @Test("MIT-BIH 100 replayed as a patch sends it: the stored beats match the reference annotations")
    func beatsOfARealRecording() throws {
        let station = try Station()
        try station.register("ecg-0100")
        try station.startGateway()
        let start: Int64 = 1_764_000_000_000
        let replay = try CaregateBinary.run(["replay", Self.recordings + "/ecg_mitdb100_1370-1670s_360hz.csv", "--device", "ecg-0100",
                                             "--station", "st01", "--speed", "60", "--start", String(start),
                                             "--mqtt-url", station.broker.url.description], executable: CaregateBinary.simulatorPath)
        #expect(replay.status == 0, "\(replay.stderr)")
        _ = station.waitForReadings(device: "ecg-0100", count: 3000, timeoutSeconds: 30)
        var lines: [String] = []
        Waiting.until(timeoutSeconds: 10) {
            lines = (try? station.query(["readings", "--device", "ecg-0100", "--stream", "beat", "--format", "jsonl"]))?.lines ?? []
            return lines.count >= 370
        }
        let beats = lines.compactMap { line -> Int64? in
            let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (o?["ts"] as? NSNumber).map { $0.int64Value - start }
        }
        let reference = try String(contentsOfFile: Self.recordings + "/ecg_mitdb100_1370-1670s_360hz_annotations.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().compactMap { Int64($0.split(separator: ",")[1]) }
        let c = BeatComparison(detected: beats, reference: reference, from: 1000)
        #expect(c.sensitivity >= 0.99 && c.positivePredictivity >= 0.99, "\(c)")
        let first = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        #expect(first["stream"] as? String == "beat" && first["device"] as? String == "ecg-0100" && first["rr_ms"] is NSNumber)
        let rates = try station.query(["readings", "--device", "ecg-0100", "--stream", "hr", "--format", "jsonl"]).lines
        #expect(rates.count >= 360)
        let hr = rates.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["hr"] as? Double }
        #expect(hr.allSatisfy { (55...100).contains($0) }, "\(hr.min() ?? 0)…\(hr.max() ?? 0)")
    }

    @Test("a pause cut into the real recording raises ecg.pause (high) through the broker, and the beats after it resolve it")
    func pauseCutIntoARecording() throws {
        let station = try Station()
        try station.register("ecg-0100")
        try station.startGateway()
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        // 60 s of record 100, then 4 s where the electrode lost contact (flat), then 30 s more.
        let lines = try String(contentsOfFile: Self.recordings + "/ecg_mitdb100_1370-1670s_360hz.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(94 * 360).map { Int($0.split(separator: ",")[1])! }
        var uv = lines
        for i in (60 * 360)..<(64 * 360) { uv[i] = lines[60 * 360] }
        let csv = station.folder.file("paused.csv")
        try ("sample,uv\n" + uv.enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        try "360\n".write(toFile: station.folder.file("paused.hz"), atomically: true, encoding: .utf8)
        let start: Int64 = 1_764_000_000_000
        let replay = try CaregateBinary.run(["replay", csv, "--device", "ecg-0100", "--station", "st01", "--speed", "30",
                                             "--start", String(start), "--mqtt-url", station.broker.url.description],
                                            executable: CaregateBinary.simulatorPath)
        #expect(replay.status == 0, "\(replay.stderr)")
        let events = nurse.waitFor(count: 2, timeoutSeconds: 20).compactMap(\.json)
        let pause = events.filter { $0["rule"] as? String == "ecg.pause" }
        #expect(pause.map { $0["event"] as? String } == ["raised", "resolved"], "\(events)")
        #expect(pause.first?["priority"] as? String == "high")
        // Raised about 3 s into the flat stretch (plus the detector's lag), resolved by the first beat after.
        let raisedAt = (pause.first?["reading_ts"] as? NSNumber)?.int64Value ?? 0
        #expect(raisedAt > start + 62_000 && raisedAt < start + 65_000, "\(raisedAt - start)")
        #expect(events.allSatisfy { ["ecg.pause"].contains($0["rule"] as? String) }, "\(events)")
        // The flat stretch is in the stored signal quality, and so is its end (the writer may
        // commit the second after the resolving beat a moment after the event went out).
        var quality: [String] = []
        let ended = Waiting.until(timeoutSeconds: 10) {
            quality = (try? station.query(["readings", "--device", "ecg-0100", "--stream", "quality", "--format", "jsonl"]).lines) ?? []
            return quality.contains { $0.contains(#""quality":"flat""#) } && quality.last?.contains(#""quality":"good""#) == true
        }
        #expect(ended, "\(quality)")
    }

    /// Writes µV samples as a recording the simulator replays.
    func recording(_ uv: [Int], hz: Int, name: String, in station: Station) throws -> String {
        let csv = station.folder.file(name + ".csv")
        try ("sample,uv\n" + uv.enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        try "\(hz)\n".write(toFile: station.folder.file(name + ".hz"), atomically: true, encoding: .utf8)
        return csv
    }

    /// Replays `csv` as ecg-0100 of st01 at `speed`, with a nurse watching the alerts.
    func replay(_ csv: String, speed: Int, hz: Int? = nil, on station: Station) throws -> CollectingSubscriber {
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let result = try CaregateBinary.run(["replay", csv, "--device", "ecg-0100", "--station", "st01", "--speed", String(speed),
                                             "--mqtt-url", station.broker.url.description] + (hz.map { ["--hz", String($0)] } ?? []),
                                            executable: CaregateBinary.simulatorPath)
        #expect(result.status == 0, "\(result.stderr)")
        return nurse
    }

    @Test("record 100 sent as if taken at half its rate beats at 37/min: hr.extreme (high) from the ECG")
    func extremeRateFromTheECG() throws {
        let station = try Station()
        try station.register("ecg-0100")
        try station.startGateway()
        // The same samples declared at 180 Hz: every interval twice as long, the rate halved.
        let nurse = try replay(Self.recordings + "/ecg_mitdb100_1370-1670s_360hz.csv", speed: 60, hz: 180, on: station)
        let events = nurse.waitFor(count: 1, timeoutSeconds: 20).compactMap(\.json)
        let raised = events.first { $0["rule"] as? String == "hr.extreme" && $0["event"] as? String == "raised" }
        #expect(raised?["priority"] as? String == "high" && raised?["stream"] as? String == "ecg", "\(events)")
        let pulse = ((raised?["value"] as? [String: Any])?["pulse"] as? NSNumber)?.doubleValue ?? 0
        #expect((30...40).contains(pulse), "\(pulse)")
        #expect(!events.contains { $0["rule"] as? String == "ecg.pause" })
    }

    @Test("real QRS complexes at irregularly irregular intervals for three minutes: ecg.irregular (medium) after a minute")
    func irregularRhythm() throws {
        let station = try Station()
        try station.register("ecg-0100")
        try station.startGateway()
        let samples = try String(contentsOfFile: Self.recordings + "/ecg_mitdb100_1370-1670s_360hz.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[1])! }
        let beats = try String(contentsOfFile: Self.recordings + "/ecg_mitdb100_1370-1670s_360hz_annotations.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[0])! }
        let baseline = samples.sorted()[samples.count / 2]
        var uv = [Int](repeating: baseline, count: 200 * 360)
        var random = SplitMix64(seed: 9)
        var at = 360
        var k = 2
        while at + 200 < uv.count {
            for d in -90..<110 { uv[at + d] = samples[beats[k] + d] }
            at += Int(Double.random(in: 0.35...1.1, using: &random) * 360)
            k = k % 300 + 2
        }
        let nurse = try replay(try recording(uv, hz: 360, name: "irregular", in: station), speed: 40, on: station)
        let events = nurse.waitFor(count: 1, timeoutSeconds: 20).compactMap(\.json)
        let raised = events.first { $0["rule"] as? String == "ecg.irregular" }
        #expect(raised?["event"] as? String == "raised" && raised?["priority"] as? String == "medium", "\(events)")
        #expect(!events.contains { $0["rule"] as? String == "ecg.pause" })
    }
}
