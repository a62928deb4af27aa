/// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
enum UTF8Check {
    /// The length of the valid multi-byte sequence starting at `p[i]` (whose lead byte is ≥ 0x80),
    /// or 0 if it is not valid UTF-8.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int) -> Bool { i + k < end && p[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard cont(1), cont(2) else { return 0 }
            let b1 = p[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }  // overlong
            if b0 == 0xED && b1 > 0x9F { return 0 }  // UTF-16 surrogate
            return 3
        case 0xF0...0xF4:
            guard cont(1), cont(2), cont(3) else { return 0 }
            let b1 = p[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return 0 }  // overlong
            if b0 == 0xF4 && b1 > 0x8F { return 0 }  // above U+10FFFF
            return 4
        default:
            return 0  // continuation byte, C0/C1, F5–FF
        }
    }

    /// Whether the whole buffer is valid UTF-8.
    static func isValid(_ buffer: UnsafeRawBufferPointer) -> Bool {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        let end = buffer.count
        var i = 0
        while i < end {
            if base[i] < 0x80 {
                i += 1
                continue
            }
            let n = sequenceLength(base, i, end)
            if n == 0 { return false }
            i += n
        }
        return true
    }
}
