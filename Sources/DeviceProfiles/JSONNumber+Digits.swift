/// Digits eight bytes at a time (SWAR): no branch per digit, so numbers of any length up
/// to eight digits cost the same and their lengths do not defeat the branch predictor.
extension JSONScanner {
    /// Appends the run of ASCII digits at `p` to `mantissa`, in chunks of up to eight, while
    /// the total stays within 19 digits and eight bytes can be read; returns how many digits
    /// it took. The caller's byte loop takes whatever is left.
    @inline(__always)
    func digitRun(at p: Int, into mantissa: inout UInt64, digits: inout Int) -> Int {
        var taken = 0
        while p &+ taken &+ 8 <= end {
            let w = UnsafeRawPointer(base + p + taken).loadUnaligned(as: UInt64.self).littleEndian
            let n = Self.leadingDigitCount(w)
            guard n > 0, digits &+ n <= 19 else { break }
            mantissa = mantissa &* Self.powerOfTen(digits: n) &+ Self.value(ofLeading: n, digitsIn: w)
            digits &+= n
            taken &+= n
            if n < 8 { break }
        }
        return taken
    }

    /// The fast path of `scanNumber`: a plain integer of up to 15 digits within ±2^53
    /// (`-?(0|[1-9][0-9]*)` not followed by a fraction or exponent), read from two words;
    /// nil, with nothing consumed, for anything else (and near the end of the payload).
    @inline(__always)
    mutating func scanPlainInteger() -> JSONNumber? {
        var p = pos
        let negative = base[p] == UInt8(ascii: "-")
        if negative { p &+= 1 }
        guard p &+ 8 <= end else { return nil }
        let w0 = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self).littleEndian
        let n0 = Self.leadingDigitCount(w0)
        guard n0 > 0, n0 == 1 || UInt8(truncatingIfNeeded: w0) != UInt8(ascii: "0") else { return nil }
        var value = Self.value(ofLeading: min(n0, 8), digitsIn: w0)
        var n = n0
        var next = UInt8(truncatingIfNeeded: w0 &>> UInt64(8 &* (n0 & 7)))
        if n0 == 8 {
            guard p &+ 16 <= end else { return nil }
            let w1 = UnsafeRawPointer(base + p + 8).loadUnaligned(as: UInt64.self).littleEndian
            let n1 = Self.leadingDigitCount(w1)
            guard n1 < 8 else { return nil }
            if n1 > 0 { value = value &* Self.powerOfTen(digits: n1) &+ Self.value(ofLeading: n1, digitsIn: w1) }
            n = 8 &+ n1
            next = UInt8(truncatingIfNeeded: w1 &>> UInt64(8 &* n1))
        }
        guard next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E"), value <= 1 << 53 else {
            return nil
        }
        pos = p &+ n
        let magnitude = Double(Int64(bitPattern: value))
        return JSONNumber(value: negative ? -magnitude : magnitude, form: .integer)
    }

    /// A plain integer of one to six digits at `pos` (`-?[1-9][0-9]{0,5}` or `-?0`, not
    /// followed by a fraction or exponent), consumed; nil, with nothing consumed, for
    /// anything else, which the caller then hands to `scanNumber`. The ECG sample path.
    @inline(__always)
    mutating func scanSmallInteger() -> Int32? {
        var p = pos
        guard p < end else { return nil }
        let negative = base[p] == UInt8(ascii: "-")
        if negative { p &+= 1 }
        guard p &+ 8 <= end else { return nil }
        let w = UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self).littleEndian
        let n = Self.leadingDigitCount(w)
        guard n >= 1 && n <= 6 else { return nil }
        if n > 1 && UInt8(truncatingIfNeeded: w) == UInt8(ascii: "0") { return nil }  // a leading zero
        let next = UInt8(truncatingIfNeeded: w &>> UInt64(8 &* n))
        if next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return nil }
        pos = p &+ n
        let magnitude = Int32(truncatingIfNeeded: Self.value(ofLeading: n, digitsIn: w))
        return negative ? -magnitude : magnitude
    }

    /// How many of the bytes of `w` (little-endian, first byte lowest) are ASCII digits
    /// before the first one that is not.
    @inline(__always)
    static func leadingDigitCount(_ w: UInt64) -> Int {
        // Digits become 0–9; anything else is ≥ 10, and adding 0x76 sets its high bit
        // (or it had it). Carries only run upward from a non-digit, past the count.
        let t = w ^ 0x3030_3030_3030_3030
        let nonDigit = ((t &+ 0x7676_7676_7676_7676) | t) & 0x8080_8080_8080_8080
        return nonDigit.trailingZeroBitCount &>> 3
    }

    /// The value of the first `n` (1...8) bytes of `w`, all ASCII digits.
    @inline(__always)
    static func value(ofLeading n: Int, digitsIn w: UInt64) -> UInt64 {
        // Move the digits to the top and fill below with '0's: eight digits, same value.
        let shift = UInt64(8 &* (8 &- n))
        let padded = (w &<< shift) | (0x3030_3030_3030_3030 &>> UInt64(8 &* n))
        var v = padded &- 0x3030_3030_3030_3030
        v = (v &* 10 &+ (v &>> 8)) & 0x00FF_00FF_00FF_00FF
        v = (v &* 100 &+ (v &>> 16)) & 0x0000_FFFF_0000_FFFF
        return (v &* 10000 &+ (v &>> 32)) & 0xFFFF_FFFF
    }

    /// 10^n for 0 ≤ n ≤ 8 (LLVM turns the switch into a table lookup).
    @inline(__always)
    static func powerOfTen(digits n: Int) -> UInt64 {
        switch n {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1000
        case 4: 10000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        default: 100_000_000
        }
    }
}
