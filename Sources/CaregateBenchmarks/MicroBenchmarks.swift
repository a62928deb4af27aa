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
}
