import ECGAnalysis
import Foundation
import Simulation
import Telemetry
import Testing

@Suite("QRS detector on the stream")
struct DetectorTests {
    static let mitdb = try! Recordings.load("ecg_mitdb100_1370-1670s_360hz")
    static let reference = try! Recordings.referenceTimes("ecg_mitdb100_1370-1670s_360hz_annotations.csv")

    func accuracy(_ samples: [Int16], hz: Int, scale: Double) -> BeatComparison {
        let r = ECGRecording(hz: hz, uvPerLSB: 1, samples: [])
        var detector = QRSDetector(hz: r.hz)
        var beats: [Int64] = []
        detector.process(samples, scale: scale, into: &beats)
        detector.finish(into: &beats)
        return BeatComparison(detected: beats.map { $0 * 1000 / Int64(hz) }, reference: Self.reference, from: 1000)
    }

    @Test("the same signal cut into chunks of any size gives the same beats", arguments: [1, 7, 25, 36, 360, 5000])
    func chunks(size: Int) {
        let whole = DetectorAccuracyTests.detect(Self.mitdb, chunk: Self.mitdb.samples.count)
        #expect(DetectorAccuracyTests.detect(Self.mitdb, chunk: size) == whole)
    }

    @Test("baseline wander of 1 mV at 0.3 Hz and breathing at 0.25 Hz change nothing")
    func baselineWander() {
        let wandering = Self.mitdb.samples.enumerated().map { i, s in
            let t = Double(i) / 360
            let wander: Double = 1000 * sin(2 * Double.pi * 0.3 * t)
            let breathing: Double = 300 * sin(2 * Double.pi * 0.25 * t + 1)
            let uv: Double = Double(s) * 5 + wander + breathing
            return Int16(clamping: Int(uv) / 5)
        }
        let c = accuracy(wandering, hz: 360, scale: 5)
        #expect(c.sensitivity >= 0.99 && c.positivePredictivity >= 0.99, "\(c)")
    }

    @Test("muscle noise of 50 µV and 50 Hz mains hum of 100 µV")
    func noise() {
        var random = SplitMix64(seed: 7)
        let noisy = Self.mitdb.samples.enumerated().map { i, s in
            let hum = 100 * sin(2 * Double.pi * 50 * Double(i) / 360)
            return Int16(clamping: Int((Double(s) * 5 + 50 * random.normal() + hum) / 5))
        }
        let c = accuracy(noisy, hz: 360, scale: 5)
        #expect(c.sensitivity >= 0.99 && c.positivePredictivity >= 0.99, "\(c)")
    }

    @Test("the same recording taken at 120, 180 and 360 Hz, and at 720 Hz", arguments: [(3, 1), (2, 1), (1, 1), (1, 2)])
    func rates(down: Int, up: Int) {
        // Every down-th sample, or each sample repeated linearly in between.
        var samples: [Int16] = []
        if up > 1 {
            for (i, s) in Self.mitdb.samples.enumerated() {
                samples.append(s)
                let next = i + 1 < Self.mitdb.samples.count ? Self.mitdb.samples[i + 1] : s
                samples.append(Int16((Int(s) + Int(next)) / 2))
            }
        } else {
            samples = stride(from: 0, to: Self.mitdb.samples.count, by: down).map { Self.mitdb.samples[$0] }
        }
        let c = accuracy(samples, hz: 360 * up / down, scale: 5)
        #expect(c.sensitivity >= 0.99 && c.positivePredictivity >= 0.99, "\(360 * up / down) Hz: \(c)")
    }

    @Test("a flat line and pure noise give no beats")
    func noBeats() {
        var detector = QRSDetector(hz: 250)
        var beats: [Int64] = []
        detector.process([Int16](repeating: 12, count: 250 * 20), scale: 5, into: &beats)
        #expect(beats.isEmpty)
        // A flat line after beats: the last beat comes out, then nothing.
        var d2 = QRSDetector(hz: 360)
        var b2: [Int64] = []
        d2.process(Self.mitdb.samples.prefix(3600), scale: 5, into: &b2)
        let before = b2.count
        d2.process([Int16](repeating: Self.mitdb.samples[3599], count: 3600), scale: 5, into: &b2)
        #expect(b2.count <= before + 1 && b2.allSatisfy { $0 < 3600 })
    }

    @Test("the recordings without annotations: a plausible count and rate")
    func plain() throws {
        for name in Recordings.plain {
            let r = try Recordings.load(name)
            let beats = DetectorAccuracyTests.detect(r, chunk: max(1, r.hz / 10))
            let rr = zip(beats.dropFirst(), beats).map { $0 - $1 }.sorted()
            let median = 60_000 / Double(rr[rr.count / 2])
            print("\(name): \(beats.count) beats after the first second, median \(Int(median.rounded()))/min")
            #expect((60...100).contains(median), "\(name)")
        }
    }
}
