import ECGAnalysis
import Foundation
import Simulation

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
            print("\(name): \(r.samples.count) samples at \(r.hz) Hz, \(beats.count) beats; best of \(rounds): "
                + "\(format(perSample, 1)) ns a sample, \(format(1e9 / perSample / 1e6, 1)) M samples/s")
        }
    }
}
