extension JSONScanner {
    /// Scans a string from its opening quote: escapes checked, raw control characters
    /// refused, UTF-8 validated. The value stays in the payload, undecoded.
    @inline(__always)
    mutating func scanString() throws(Rejection) -> JSONString {
        let start = pos + 1
        var p = start
        var escaped = false
        while p < end {
            // Eight bytes at a time to the first one that is not plain printable ASCII.
            while p &+ 8 <= end {
                let special = Self.specialBytes(UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self).littleEndian)
                if special != 0 {
                    p &+= special.trailingZeroBitCount &>> 3
                    break
                }
                p &+= 8
            }
            guard p < end else { break }
            let b = base[p]
            if b >= 0x20 && b < 0x80 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                p &+= 1
            } else if b == UInt8(ascii: "\"") {
                pos = p &+ 1
                return JSONString(start: start, end: p, hasEscapes: escaped)
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                p = try escapeEnd(at: p)
            } else if b < 0x20 {
                throw Rejection(.notJSON, "control characters in strings must be escaped")
            } else {
                let n = UTF8Check.sequenceLength(base, p, end)
                guard n > 0 else { throw Rejection(.notUTF8, "the payload must be valid UTF-8") }
                p &+= n
            }
        }
        throw Self.truncated
    }

    /// The high bit set in each byte of `w` (little-endian) that is `"`, `\`, a control
    /// character or non-ASCII. Exact up to the lowest such byte; above it there may be
    /// false positives (borrows), which is all the caller needs.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        let isControl = (w &- ones &* 0x20) & ~w
        return (isQuote | isBackslash | isControl | w) & (ones &* 0x80)
    }

    /// Checks the escape at `p` (a backslash) and returns the offset after it.
    private func escapeEnd(at p: Int) throws(Rejection) -> Int {
        guard end - p >= 2 else { throw Self.truncated }
        switch base[p + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return p + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: p + 2)
            if unit >= 0xDC00 && unit <= 0xDFFF { throw Self.loneSurrogate }
            guard unit >= 0xD800 && unit <= 0xDBFF else { return p + 6 }
            guard end - p >= 8, base[p + 6] == UInt8(ascii: "\\"), base[p + 7] == UInt8(ascii: "u") else {
                throw Self.loneSurrogate
            }
            let low = try hex4(at: p + 8)
            guard low >= 0xDC00 && low <= 0xDFFF else { throw Self.loneSurrogate }
            return p + 12
        default:
            throw Rejection(.notJSON, "invalid escape in a string")
        }
    }

    private static var loneSurrogate: Rejection { Rejection(.notJSON, "a \\u escape is an unpaired UTF-16 surrogate") }

    private func hex4(at i: Int) throws(Rejection) -> UInt32 {
        guard end - i >= 4 else { throw Self.truncated }
        var v: UInt32 = 0
        for k in 0..<4 {
            let d = Self.hexValue(base[i + k])
            guard d < 16 else { throw Rejection(.notJSON, "a \\u escape needs four hex digits") }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// 0–15 for a hex digit, 255 otherwise.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8 {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b &- UInt8(ascii: "A") &+ 10
        default: 255
        }
    }
}
