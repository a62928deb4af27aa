import ECGAnalysis
import Foundation
import Simulation
import Telemetry
import Testing

@Suite("One ECG stream: beats, rate, pauses, rhythm, quality, gaps")
struct ECGStreamTests {
    static let mitdb = try! Recordings.load("ecg_mitdb100_1370-1670s_360hz")
    static let t0: Int64 = 1_764_000_000_000

    /// Streams `samples` at `hz` in chunks as a patch sends them; all the findings together.
    static func stream(_ samples: [Int16], hz: Int = 360, scale: Double = 5, chunk: Int = 36, from ts: Int64 = t0,
                       into stream: inout ECGStream, seq: inout Int64) throws -> [ECGFindings] {
        var out: [ECGFindings] = []
        var start = 0
        while start < samples.count {
            let end = min(start + chunk, samples.count)
            seq += 1
            out.append(try stream.ingest(samples: ECGSamples(samples[start..<end]), hz: hz, microvoltsPerLSB: scale,
                                         ts: ts + Int64(start) * 1000 / Int64(hz), seq: seq))
            start = end
        }
        return out
    }

    static func run(_ samples: [Int16]) throws -> [ECGFindings] {
        var s = ECGStream()
        var seq: Int64 = 0
        return try stream(samples, into: &s, seq: &seq)
    }

    @Test("a sinus rhythm: every beat, a steady rate, no pause, regular, good")
    func sinus() throws {
        let findings = try Self.run(Self.mitdb.samples)
        let beats = findings.flatMap(\.beats).map(\.ts)
        #expect(beats.count >= 370)
        let rates = findings.flatMap(\.beats).compactMap(\.heartRate)
        #expect(rates.allSatisfy { (60...95).contains($0) }, "\(rates.min()!)…\(rates.max()!)")
        #expect(findings.allSatisfy { $0.pauseStarted == nil && $0.irregular == nil && $0.restarted == nil })
        #expect(findings.flatMap(\.quality).allSatisfy { $0.quality == .good })
    }

    @Test("a flat stretch of 4 s is a pause from the last beat; 2 s is not")
    func pause() throws {
        for (seconds, isPause) in [(4.0, true), (2.0, false)] {
            var samples = Self.mitdb.samples
            let cut = 60 * 360
            let flat = samples[cut]
            for i in cut..<(cut + Int(seconds * 360)) { samples[i] = flat }
            let findings = try Self.run(samples)
            let started = findings.compactMap(\.pauseStarted)
            let ended = findings.compactMap(\.pauseEnded)
            if isPause {
                #expect(started.count == 1 && ended.count == 1)
                let beats = findings.flatMap(\.beats).map(\.ts)
                // From the last beat before the cut to the first after it.
                #expect(started.first == beats.last { $0 < Self.t0 + 60_000 })
                #expect(ended.first == beats.first { $0 > Self.t0 + 60_000 + Int64(seconds * 1000) })
                #expect(findings.flatMap(\.quality).contains { $0.quality == .flat })
            } else {
                #expect(started.isEmpty, "\(seconds) s")
            }
        }
    }

    @Test("a gap in the data restarts the analysis and is never a pause")
    func gap() throws {
        var s = ECGStream()
        var seq: Int64 = 0
        let first = try Self.stream(Array(Self.mitdb.samples[0..<(30 * 360)]), into: &s, seq: &seq)
        // Five seconds lost upstream: seq and time jump.
        seq += 50
        let second = try Self.stream(Array(Self.mitdb.samples[(35 * 360)..<(70 * 360)]), from: Self.t0 + 35_000, into: &s, seq: &seq)
        #expect(second.first?.restarted == "seq 300 was followed by 351")
        #expect((first + second).allSatisfy { $0.pauseStarted == nil })
        #expect(second.flatMap(\.beats).count >= 40)
        // A time jump with the seq in order is a gap too.
        let third = try Self.stream(Array(Self.mitdb.samples[(80 * 360)..<(90 * 360)]), from: Self.t0 + 80_000, into: &s, seq: &seq)
        #expect(third.first?.restarted?.hasPrefix("a gap of") == true)
    }

    @Test("a pause open when the data breaks off ends at the first beat after the gap")
    func pauseAcrossAGap() throws {
        var s = ECGStream()
        var seq: Int64 = 0
        var samples = Array(Self.mitdb.samples[0..<(30 * 360)])
        for i in (20 * 360)..<(30 * 360) { samples[i] = samples[20 * 360] }
        let before = try Self.stream(samples, into: &s, seq: &seq)
        #expect(before.compactMap(\.pauseStarted).count == 1)
        seq += 5
        let after = try Self.stream(Array(Self.mitdb.samples[(40 * 360)..<(60 * 360)]), from: Self.t0 + 40_000, into: &s, seq: &seq)
        #expect(after.first?.restarted != nil)
        #expect(after.compactMap(\.pauseEnded).count == 1 && after.compactMap(\.pauseStarted).isEmpty)
    }

    @Test("an overlapping chunk is refused; a new rate restarts")
    func overlapAndRate() throws {
        var s = ECGStream()
        var seq: Int64 = 0
        _ = try Self.stream(Array(Self.mitdb.samples[0..<3600]), into: &s, seq: &seq)
        #expect(throws: ECGStreamError.self) {
            try s.ingest(samples: ECGSamples(Self.mitdb.samples[3000..<3036]), hz: 360, microvoltsPerLSB: 5, ts: Self.t0 + 8_333, seq: seq + 1)
        }
        let changed = try s.ingest(samples: ECGSamples(Self.mitdb.samples[3600..<3625]), hz: 250, microvoltsPerLSB: 5, ts: Self.t0 + 10_000, seq: seq + 1)
        #expect(changed.restarted == "the rate changed from 360 to 250 Hz")
    }

    @Test("irregularly irregular beats are flagged; the sinus record with its ectopic beats is not")
    func irregular() throws {
        // Real QRS complexes of record 100 pasted at random intervals of 350–1100 ms for 3 minutes.
        var random = SplitMix64(seed: 3)
        let reference = try Recordings.referenceTimes("ecg_mitdb100_1370-1670s_360hz_annotations.csv")
        let baseline = Self.mitdb.samples.sorted()[Self.mitdb.samples.count / 2]
        var samples = [Int16](repeating: baseline, count: 180 * 360)
        var at = 360
        var k = 2
        while at + 200 < samples.count {
            let centre = Int(reference[k] * 360 / 1000)
            for d in -90..<110 { samples[at + d] = Self.mitdb.samples[centre + d] }
            at += Int(Double.random(in: 0.35...1.1, using: &random) * 360)
            k = k % 300 + 2
        }
        let findings = try Self.run(samples)
        let flags = findings.compactMap(\.irregular)
        #expect(flags.first?.0 == true, "\(flags)")
        #expect(findings.allSatisfy { $0.pauseStarted == nil })
        #expect(try Self.run(Self.mitdb.samples).allSatisfy { $0.irregular == nil })
    }

    @Test("saturation and heavy noise are unusable seconds")
    func quality() throws {
        var saturated = Self.mitdb.samples
        for i in (20 * 360)..<(23 * 360) where i % 3 == 0 { saturated[i] = .max }
        #expect(try Self.run(saturated).flatMap(\.quality).contains { $0.quality == .saturated })
        var random = SplitMix64(seed: 5)
        var noisy = Self.mitdb.samples
        for i in (20 * 360)..<(30 * 360) { noisy[i] = Int16(clamping: Int(noisy[i]) + Int(random.normal() * 150)) }
        let q = try Self.run(noisy).flatMap(\.quality)
        #expect(q.contains { $0.quality == .noisy }, "\(q)")
        #expect(q.last?.quality == .good)
    }
}
