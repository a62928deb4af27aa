import Foundation
import Storage
import Telemetry
import Testing

@Suite("Lossless ECG compression")
struct ECGCodecTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("simulators/recordings").path

    /// A recording's samples in its coarsest exact step, and its rate.
    static func recording(_ name: String) throws -> (hz: Int, samples: [Int16]) {
        let uv = try String(contentsOfFile: folder + "/\(name).csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Int($0.split(separator: ",")[1])! }
        let step = uv.allSatisfy { $0 % 5 == 0 } ? 5 : 1
        let hz = Int(try String(contentsOfFile: folder + "/\(name).hz", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
        return (hz, uv.map { Int16($0 / step) })
    }

    static let names = ["ecg_mitdb100_1370-1670s_360hz", "ecg_bsnb_rest_120s_1000hz", "ecg_bsnb_rest_20s_1000hz",
                        "ecg_bsnb_rest_20s_100hz", "ecg_pyhrv_bitalino_22s_1000hz"]

    /// Bytes as 16-bit samples over bytes compressed, for the recording cut into chunks.
    static func ratio(_ samples: [Int16], chunk: Int) -> Double {
        var compressed = 0
        var start = 0
        while start < samples.count {
            let piece = Array(samples[start..<min(start + chunk, samples.count)])
            let bytes = ECGCodec.encode(piece)
            #expect(ECGCodec.decode(bytes).map(Array.init) == piece)
            compressed += bytes.count
            start += chunk
        }
        return Double(samples.count * 2) / Double(compressed)
    }

    /// At least 2.5 times smaller in chunks of a second, except the 100 Hz recording: its
    /// first differences (σ 138 µV in 1 µV steps) carry 7.0 bits a sample by their own
    /// histogram, so no lossless coder gets it below 16/7 ≈ 2.3×; this one reaches 1.9×.
    @Test("every recording round-trips exactly and shrinks", arguments: names)
    func recordings(name: String) throws {
        let r = try Self.recording(name)
        let second = Self.ratio(r.samples, chunk: r.hz)
        let tenth = Self.ratio(r.samples, chunk: max(1, r.hz / 10))
        print("\(name): \(String(format: "%.2f", second))× in chunks of 1 s, \(String(format: "%.2f", tenth))× in chunks of 0.1 s")
        #expect(second >= (r.hz >= 360 ? 2.5 : 1.9), "\(name): \(second)")
        #expect(tenth >= (r.hz >= 360 ? 2.5 : 1.6), "\(name): \(tenth)")
    }

    @Test("any signal round-trips: extremes, steps, noise, nothing")
    func anySignal() {
        var random = SplitMix64(seed: 11)
        let cases: [[Int16]] = [
            [],
            [0],
            [Int16.max, Int16.min, Int16.max, Int16.min, 0, Int16.min],
            (0..<500).map { _ in Int16(truncatingIfNeeded: random.next()) },
            (0..<300).map { Int16($0 < 150 ? -32768 : 32767) },
            (0..<1000).map { Int16(clamping: Int(1000 * sin(Double($0) / 10))) },
        ]
        for samples in cases {
            #expect(ECGCodec.decode(ECGCodec.encode(samples)).map(Array.init) == samples)
        }
    }

    @Test("a damaged blob is refused, not misread")
    func damaged() {
        let bytes = ECGCodec.encode((0..<100).map { Int16($0 * 3) })
        #expect(ECGCodec.decode(Array(bytes.prefix(bytes.count / 2))) == nil)
        #expect(ECGCodec.decode([]) == nil)
        #expect(ECGCodec.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
    }
}
