import AlertEngine
import DeviceProfiles
import Foundation
import Telemetry

/// The pure parts alone, in-process.
enum MicroBenchmarks {
    static func decode() {
        let source = DeviceAddress(station: "st01", device: "bp-000123")
        let cases: [(String, StreamKind, String)] = [
            ("bp", .bp, #"{"ts":1732262400123,"seq":17,"systolic":142,"diastolic":91,"pulse":78}"#),
            ("glucose", .glucose, #"{"ts":1732262400123,"seq":288,"mg_dl":65.0,"context":"random"}"#),
            ("status", .status, #"{"ts":1732262400000,"seq":99,"battery":87}"#),
        ]
        print("## decode: canonical JSON, full validation (ns per message, median of 9 runs of 200,000)")
        for (name, stream, text) in cases {
            let payload = Array(text.utf8)
            var runs: [Double] = []
            var sink = 0
            for _ in 0..<9 {
                let start = nanos()
                for _ in 0..<200_000 {
                    if case .success(let r) = CanonicalProfile.decode(source: source, stream: stream, payload: payload) { sink &+= Int(r.seq) }
                }
                runs.append(Double(nanos() - start) / 200_000)
            }
            runs.sort()
            print("decode \(name) (\(payload.count) B): \(format(runs[4], 0)) ns  [min \(format(runs[0], 0)), max \(format(runs[8], 0))]  (\(sink % 2))")
        }
    }

    static func engine() {
        print("## engine: ingest with the default rules (ns per reading, median of 9 runs)")
        for devices in [1, 100, 10_000] {
            var engine = AlertEngine()
            let addresses = (0..<devices).map { DeviceAddress(station: "st01", device: "bp-\($0)") }
            var seq = [Int64](repeating: 0, count: devices)
            let n = 200_000
            var runs: [Double] = []
            var events = 0
            for _ in 0..<9 {
                let start = nanos()
                for i in 0..<n {
                    let d = i % devices
                    seq[d] += 1
                    let systolic = 120 + Double(i % 50)
                    let reading = Reading(source: addresses[d], ts: 1_732_262_400_000 + seq[d] * 1000, seq: seq[d],
                                          value: .bloodPressure(BloodPressure(systolic: systolic, diastolic: 80, pulse: 70)))
                    events &+= engine.ingest(reading, now: 1_732_262_400_000).events.count
                }
                runs.append(Double(nanos() - start) / Double(n))
            }
            runs.sort()
            print("engine \(devices) devices: \(format(runs[4], 0)) ns  [min \(format(runs[0], 0)), max \(format(runs[8], 0))]  (\(events) events)")
        }
    }
}
