import CPolarSamples
import Foundation
import Telemetry
import Testing

/// The Polar frame's sample loop: its SSSE3 path (eight samples a step, on this machine) gives
/// what the one-sample-a-step path gives, for every length and wherever a sample does not fit.
@Suite struct PolarSamplesTests {
    /// The 3-byte little-endian form of `values` (each within 24 bits).
    static func frame(_ values: [Int32]) -> [UInt8] {
        values.flatMap { v in (0..<3).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    }

    static func read(_ raw: [UInt8], portable: Bool) -> (samples: [Int16], fits: Bool) {
        let count = raw.count / 3
        var out = [Int16](repeating: 0x5555, count: count)
        let fits = raw.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o in
                portable ? caregate_polar_samples_portable(r.baseAddress!, o.baseAddress!, count)
                         : caregate_polar_samples(r.baseAddress!, o.baseAddress!, count)
            }
        }
        return (out, fits)
    }

    /// Where the CPU has SSSE3 (as the kernel reports it), the fast path is the vector one: the
    /// tests below would otherwise compare the portable loop with itself.
    @Test func theVectorPathIsTakenWhereTheCPUHasIt() throws {
        #if arch(x86_64)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        #expect(caregate_polar_samples_uses_ssse3() == flags.split(separator: " ").contains("ssse3"))
        #else
        #expect(!caregate_polar_samples_uses_ssse3())
        #endif
    }

    @Test func everyLengthReadsAsTheReferenceDoes() {
        var random = SplitMix64(seed: 7)
        for count in 1...200 {
            let values = (0..<count).map { _ in Int32(Int16.min) + Int32(random.next() % 65_536) }
            let raw = Self.frame(values)
            let fast = Self.read(raw, portable: false)
            #expect(fast.samples == values.map { Int16($0) }, "\(count) samples")
            #expect(fast.fits)
            #expect(Self.read(raw, portable: true).samples == fast.samples)
        }
    }

    @Test(arguments: [32_768, -32_769, 65_535, -65_536, 8_388_607, -8_388_608] as [Int32])
    func aSampleBeyond16BitsIsFoundWhereverItIs(_ misfit: Int32) {
        for count in [1, 7, 8, 9, 16, 73, 130] {
            for position in 0..<count {
                var values = [Int32](repeating: -1, count: count)
                values[position] = misfit
                let raw = Self.frame(values)
                #expect(!Self.read(raw, portable: false).fits, "\(misfit) at \(position) of \(count)")
                #expect(!Self.read(raw, portable: true).fits)
            }
        }
    }

    @Test func theEdgesOf16BitsFit() {
        let values: [Int32] = [32_767, -32_768, 0, -1, 255, -256, 256, 127, -128] + Array(repeating: 1, count: 20)
        let read = Self.read(Self.frame(values), portable: false)
        #expect(read.fits)
        #expect(read.samples == values.map { Int16($0) })
    }
}
