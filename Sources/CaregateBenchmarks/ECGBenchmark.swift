import ECGAnalysis
import Foundation
import Simulation
import Storage

/// QRS detection throughput: every recording of `simulators/recordings` through the detector,
/// in chunks of a tenth of a second as a patch sends them, several times over.
enum ECGBenchmark {
    static let recordings = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("simulators/recordings").path

    static func run(rounds: Int) throws {
        print("## ecg: QRS detection, samples a second on one core (\(machineDescription()))")
        let names = ["ecg_mitdb100_1370-1670s_360hz", "ecg_bsnb_rest_120s_1000hz", "ecg_bsnb_rest_20s_100hz", "ecg_pyhrv_bitalino_22s_1000hz"]
        for name in names {
            let r = try ECGRecording.load(csv: recordings + "/" + name + ".csv")
            let chunk = max(1, r.hz / 10)
            var beats: [Int64] = []
            beats.reserveCapacity(1000)
            var best = Double.infinity
            for _ in 0..<rounds {
                var detector = QRSDetector(hz: r.hz)
                beats.removeAll(keepingCapacity: true)
                let start = nanos()
                var i = 0
                while i < r.samples.count {
                    let end = min(i + chunk, r.samples.count)
                    detector.process(r.samples[i..<end], scale: Double(r.uvPerLSB), into: &beats)
                    i = end
                }
                best = min(best, Double(nanos() - start))
            }
            let perSample = best / Double(r.samples.count)
            // Storage: each tenth of a second compressed as its own row, and read back.
            let chunks = stride(from: 0, to: r.samples.count, by: chunk).map { Array(r.samples[$0..<min($0 + chunk, r.samples.count)]) }
            var encodeBest = Double.infinity
            var decodeBest = Double.infinity
            var bytes = 0
            for _ in 0..<max(1, rounds / 4) {
                let t0 = nanos()
                let encoded = chunks.map(ECGCodec.encode)
                let t1 = nanos()
                for e in encoded { _ = ECGCodec.decode(e) }
                let t2 = nanos()
                encodeBest = min(encodeBest, Double(t1 - t0))
                decodeBest = min(decodeBest, Double(t2 - t1))
                bytes = encoded.reduce(0) { $0 + $1.count }
            }
            print("\(name): \(r.samples.count) samples at \(r.hz) Hz, \(beats.count) beats; best of \(rounds): "
                + "\(format(perSample, 1)) ns a sample, \(format(1e9 / perSample / 1e6, 1)) M samples/s; "
                + "stored in chunks of \(chunk): \(format(Double(r.samples.count * 2) / Double(bytes), 2))× smaller than 16 bits, "
                + "encode \(format(encodeBest / Double(r.samples.count), 1)) ns, decode \(format(decodeBest / Double(r.samples.count), 1)) ns a sample")
        }
    }
}
