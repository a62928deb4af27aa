import Telemetry

/// Lossless compression of an ECG chunk's samples (`ecg_chunks.codec` 1), after Shorten and
/// FLAC: each block of up to 64 samples is predicted from the samples before it by a fixed
/// polynomial of order 0, 1 or 2 (whichever leaves the smallest residuals), and the residuals
/// are Rice-coded with the block's best parameter.
///
///     sample count (varint) · blocks: order (2 bits) · k (5 bits) · residuals (Rice, MSB first)
///
/// A residual whose quotient would reach 24 is written as 24 one-bits and its 19-bit
/// zig-zag value: any Int16 signal round-trips, however wild.
public enum ECGCodec {
    /// The `codec` column's value for this format; 0 is raw 16-bit little-endian samples.
    public static let id: Int64 = 1
    static let blockSize = 64
    static let escape: UInt32 = 24
    static let escapeBits = 19

    /// The compressed bytes of `samples`.
    public static func encode(_ samples: some Collection<Int16>) -> [UInt8] {
        samples.withContiguousStorageIfAvailable(encode(buffer:)) ?? Array(samples).withUnsafeBufferPointer(encode(buffer:))
    }

    static func encode(buffer samples: UnsafeBufferPointer<Int16>) -> [UInt8] {
        var out = BitWriter()
        var n = UInt32(samples.count)
        while n >= 0x80 {
            out.write(UInt32(n & 0x7F | 0x80), bits: 8)
            n >>= 7
        }
        out.write(n, bits: 8)
        var residuals = [UInt32](repeating: 0, count: blockSize)
        var start = 0
        while start < samples.count {
            let end = min(start + blockSize, samples.count)
            // The order and Rice parameter that spend the fewest bits on this block.
            var best: (order: Int, k: Int, bits: Int) = (0, 0, .max)
            for order in 0...2 {
                var sum: UInt64 = 0
                for i in start..<end { sum += UInt64(zigzag(residual(samples, i, order))) }
                let mean = sum / UInt64(end - start)
                var k = 0
                while k < 18 && (UInt64(1) << (k + 1)) <= mean { k += 1 }
                for candidate in max(0, k - 1)...min(20, k + 1) {
                    var bits = 0
                    for i in start..<end {
                        let q = zigzag(residual(samples, i, order)) >> UInt32(candidate)
                        bits += q >= escape ? Int(escape) + escapeBits : Int(q) + 1 + candidate
                    }
                    if bits < best.bits { best = (order, candidate, bits) }
                }
            }
            out.write(UInt32(best.order), bits: 2)
            out.write(UInt32(best.k), bits: 5)
            for i in start..<end { residuals[i - start] = zigzag(residual(samples, i, best.order)) }
            for u in residuals[0..<(end - start)] {
                let q = u >> UInt32(best.k)
                if q >= escape {
                    out.ones(Int(escape))
                    out.write(u, bits: escapeBits)
                } else {
                    out.ones(Int(q))
                    out.write(0, bits: 1)
                    if best.k > 0 { out.write(u & ((1 << UInt32(best.k)) - 1), bits: best.k) }
                }
            }
            start = end
        }
        return out.finish()
    }

    /// The samples of `bytes`, or nil if they are not this format (truncated, or values that
    /// leave 16 bits). Decoded straight into the samples' one allocation: the count comes first.
    public static func decode(_ bytes: [UInt8]) -> ECGSamples? {
        var r = BitReader(bytes)
        var count: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard let byte = r.read(8), shift < 32 else { return nil }
            count |= (byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard count <= 1 << 20 else { return nil }
        return try? ECGSamples(count: Int(count)) { (samples) throws(NotThisFormat) in
            var n = 0
            while n < samples.count {
                guard let order = r.read(2), order <= 2, let k = r.read(5) else { throw NotThisFormat() }
                for _ in 0..<min(blockSize, samples.count - n) {
                    var q: UInt32 = 0
                    while true {
                        guard let bit = r.read(1) else { throw NotThisFormat() }
                        if bit == 0 { break }
                        q += 1
                        if q == escape { break }
                    }
                    let u: UInt32
                    if q == escape {
                        guard let raw = r.read(escapeBits) else { throw NotThisFormat() }
                        u = raw
                    } else {
                        guard let low = k > 0 ? r.read(Int(k)) : 0 else { throw NotThisFormat() }
                        u = q << k | low
                    }
                    // Only samples before n are read, and those are written.
                    let predicted = prediction(samples, n, Int(order))
                    let value = predicted + Int32(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
                    guard let sample = Int16(exactly: value) else { throw NotThisFormat() }
                    samples[n] = sample
                    n += 1
                }
            }
        }
    }

    /// Why `decode` gave up; nil is all its callers see.
    private struct NotThisFormat: Error {}

    @inline(__always)
    static func prediction<S: RandomAccessCollection<Int16>>(_ s: S, _ i: Int, _ order: Int) -> Int32 where S.Index == Int {
        let a = i >= 1 ? Int32(s[i - 1]) : 0
        let b = i >= 2 ? Int32(s[i - 2]) : 0
        switch order {
        case 0: return 0
        case 1: return a
        default: return 2 * a - b
        }
    }

    @inline(__always)
    static func residual<S: RandomAccessCollection<Int16>>(_ s: S, _ i: Int, _ order: Int) -> Int32 where S.Index == Int {
        Int32(s[i]) - prediction(s, i, order)
    }

    @inline(__always)
    static func zigzag(_ v: Int32) -> UInt32 {
        UInt32(bitPattern: (v << 1) ^ (v >> 31))
    }
}

/// Bits written most significant first.
struct BitWriter {
    private var bytes: [UInt8] = []
    private var current: UInt64 = 0
    private var filled = 0

    mutating func write(_ value: UInt32, bits: Int) {
        current = current << UInt64(bits) | UInt64(value) & ((1 << UInt64(bits)) - 1)
        filled += bits
        while filled >= 8 {
            filled -= 8
            bytes.append(UInt8(truncatingIfNeeded: current >> UInt64(filled)))
        }
    }

    mutating func ones(_ count: Int) {
        var left = count
        while left > 0 {
            let n = min(left, 24)
            write((1 << UInt32(n)) - 1, bits: n)
            left -= n
        }
    }

    mutating func finish() -> [UInt8] {
        if filled > 0 { bytes.append(UInt8(truncatingIfNeeded: current << UInt64(8 - filled))) }
        filled = 0
        return bytes
    }
}

/// Bits read most significant first; nil past the end.
struct BitReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read(_ bits: Int) -> UInt32? {
        guard position + bits <= bytes.count * 8 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<bits {
            let byte = bytes[position >> 3]
            value = value << 1 | UInt32(byte >> (7 - UInt8(position & 7)) & 1)
            position += 1
        }
        return value
    }
}
