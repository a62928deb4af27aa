import ECGAnalysis
import Simulation
import Testing

/// Beat-by-beat accuracy on the annotated recordings, PhysioNet's way: a 150 ms match window,
/// the first second (the detector's learning period) left out.
@Suite("QRS detection accuracy")
struct DetectorAccuracyTests {
    static func detect(_ recording: ECGRecording, chunk: Int) -> [Int64] {
        var detector = QRSDetector(hz: recording.hz)
        var beats: [Int64] = []
        var start = 0
        while start < recording.samples.count {
            let end = min(start + chunk, recording.samples.count)
            detector.process(recording.samples[start..<end], scale: Double(recording.uvPerLSB), into: &beats)
            start = end
        }
        detector.finish(into: &beats)
        return beats.map { $0 * 1000 / Int64(recording.hz) }
    }

    @Test("sensitivity and positive predictivity of at least 99 % on every annotated recording")
    func accuracy() throws {
        for r in try Recordings.annotated() {
            let detected = Self.detect(r.recording, chunk: r.recording.hz / 10)
            let c = BeatComparison(detected: detected, reference: r.reference, from: 1000)
            print("\(r.name): TP \(c.truePositives) FN \(c.falseNegatives) FP \(c.falsePositives) Se \(c.sensitivity) +P \(c.positivePredictivity) error mean \(c.meanErrorMillis) max \(c.largestErrorMillis) ms")
            #expect(c.sensitivity >= 0.99, "\(r.name): \(c)")
            #expect(c.positivePredictivity >= 0.99, "\(r.name): \(c)")
        }
    }
}
