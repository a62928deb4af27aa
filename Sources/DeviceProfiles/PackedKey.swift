/// A member name of up to 16 bytes held in two words, so that matching it against a
/// field name is two integer compares (the field name's words fold to constants).
struct PackedKey: Equatable {
    /// Bytes 0–7, little-endian, zero-padded.
    var lo: UInt64 = 0
    /// Bytes 8–15, little-endian, zero-padded.
    var hi: UInt64 = 0
    /// The name's length in bytes; names longer than 16 bytes match no field.
    var count: Int = 0

    static let capacity = 16

    /// The decoded name `name` of a document whose bytes start at `base` and end at `end`.
    @inline(__always)
    init(_ name: JSONString, base: UnsafePointer<UInt8>, end: Int) {
        if !name.hasEscapes {
            count = name.end - name.start
            guard count <= Self.capacity else { return }
            let p = UnsafeRawPointer(base + name.start)
            if name.start + 16 <= end {
                // Two unaligned loads inside the payload, masked to the name's length.
                lo = p.loadUnaligned(as: UInt64.self).littleEndian & Self.mask(count)
                hi = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian & Self.mask(count - 8)
            } else {
                for i in 0..<count { append(p.load(fromByteOffset: i, as: UInt8.self), at: i) }
            }
        } else {
            var it = name.bytes(in: base)
            while let b = it.next() {
                if count < Self.capacity { append(b, at: count) }
                count += 1
            }
            if count > Self.capacity { lo = 0; hi = 0 }
        }
    }

    /// Whether this is the field name `s` (at most 16 ASCII bytes).
    @inline(__always)
    func `is`(_ s: StaticString) -> Bool {
        // Three XORs and one branch.
        (lo ^ Self.word(s, 0)) | (hi ^ Self.word(s, 8)) | UInt64(truncatingIfNeeded: count ^ s.utf8CodeUnitCount) == 0
    }

    @inline(__always)
    private mutating func append(_ b: UInt8, at i: Int) {
        if i < 8 { lo |= UInt64(b) << UInt64(8 * i) } else { hi |= UInt64(b) << UInt64(8 * (i - 8)) }
    }

    /// A mask of the low `n` bytes (n clamped to 0...8).
    @inline(__always)
    private static func mask(_ n: Int) -> UInt64 {
        n >= 8 ? ~0 : n <= 0 ? 0 : (1 << UInt64(8 * n)) &- 1
    }

    /// Bytes `from..<from+8` of `s`, little-endian, zero-padded; folds to a constant.
    @inline(__always)
    private static func word(_ s: StaticString, _ from: Int) -> UInt64 {
        var v: UInt64 = 0
        let p = s.utf8Start
        var i = from
        while i < min(from + 8, s.utf8CodeUnitCount) {
            v |= UInt64(p[i]) << UInt64(8 * (i - from))
            i += 1
        }
        return v
    }
}
