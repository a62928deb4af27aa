/// A number token: its value as a Double, and how it was written.
struct JSONNumber {
    enum Form: UInt8 {
        /// Written without fraction or exponent (`17`, `-0`) and within ±2^53, so `value` is exact.
        case integer
        /// Written without fraction or exponent, beyond ±2^53 (`value` is rounded).
        case bigInteger
        /// Written with a fraction or an exponent (`17.0`, `1.7e1`).
        case decimal
    }

    var value: Double
    var form: Form

    /// The exact integer, when written as one within ±2^53.
    var integer: Int64? { form == .integer ? Int64(value) : nil }
}

extension JSONScanner {
    /// Scans `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` (and `-Infinity`).
    ///
    /// Up to 19 significant digits are kept in a UInt64. When they fit in 53 bits and the
    /// decimal exponent is within ±22, one IEEE multiplication or division of two exact
    /// values gives the correctly rounded Double (Clinger's fast path); anything else goes
    /// to the standard library's correctly rounded parser.
    @inline(__always)
    mutating func scanNumber() throws(Rejection) -> JSONNumber {
        if let n = scanPlainInteger() { return n }
        let start = pos
        let base = self.base
        let end = self.end
        var p = pos
        var negative = false
        if base[p] == UInt8(ascii: "-") {
            negative = true
            p &+= 1
            if p < end && base[p] == UInt8(ascii: "I") {
                pos = p
                try literal("Infinity")
                return nonFinite(-.infinity)
            }
        }
        var mantissa: UInt64 = 0
        var digits = 0  // significant digits kept in `mantissa`
        var exponent = 0  // decimal exponent applied to `mantissa`
        var dropped = false  // a nonzero digit did not fit in `mantissa`

        guard p < end else { throw Self.truncated }
        let first = base[p]
        if first == UInt8(ascii: "0") {
            p &+= 1
        } else if first >= UInt8(ascii: "1") && first <= UInt8(ascii: "9") {
            p &+= digitRun(at: p, into: &mantissa, digits: &digits)
            while p < end, case let d = base[p] &- UInt8(ascii: "0"), d < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits &+= 1
                } else {
                    exponent &+= 1
                    if d != 0 { dropped = true }
                }
                p &+= 1
            }
        } else {
            throw Rejection(.notJSON, "a number needs a digit after '-'")
        }

        var isInteger = true
        if p < end && base[p] == UInt8(ascii: ".") {
            isInteger = false
            p &+= 1
            let fractionStart = p
            let run = digitRun(at: p, into: &mantissa, digits: &digits)
            p &+= run
            exponent &-= run
            while p < end, case let d = base[p] &- UInt8(ascii: "0"), d < 10 {
                if mantissa == 0 && d == 0 {
                    exponent &-= 1  // a leading zero: not significant
                } else if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    digits &+= 1
                    exponent &-= 1
                } else if d != 0 {
                    dropped = true
                }
                p &+= 1
            }
            guard p > fractionStart else { throw Rejection(.notJSON, "a number needs digits after '.'") }
        }
        if p < end && (base[p] == UInt8(ascii: "e") || base[p] == UInt8(ascii: "E")) {
            isInteger = false
            p &+= 1
            var negativeExponent = false
            if p < end && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) {
                negativeExponent = base[p] == UInt8(ascii: "-")
                p &+= 1
            }
            let exponentStart = p
            var e = 0
            while p < end, case let d = base[p] &- UInt8(ascii: "0"), d < 10 {
                if e < 1_000_000 { e = e &* 10 &+ Int(d) }
                p &+= 1
            }
            guard p > exponentStart else { throw Rejection(.notJSON, "a number needs digits in its exponent") }
            exponent &+= negativeExponent ? -e : e
        }
        pos = p

        // Signed conversion is one instruction; unsigned is a sequence. Both round correctly.
        let exact = mantissa <= UInt64(Int64.max) ? Double(Int64(bitPattern: mantissa)) : Double(mantissa)
        let magnitude: Double
        if !dropped && exponent == 0 {
            magnitude = exact
        } else if mantissa == 0 {
            magnitude = 0
        } else if !dropped && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            magnitude = exponent < 0 ? exact / Self.exactPowerOfTen(-exponent) : exact * Self.exactPowerOfTen(exponent)
        } else {
            let digitsStart = negative ? start + 1 : start
            let token = UnsafeBufferPointer(start: base + digitsStart, count: p - digitsStart)
            let text = String(decoding: token, as: UTF8.self)
            magnitude = Double(text) ?? .nan  // the grammar above is a subset of what Double parses
        }
        let value = negative ? -magnitude : magnitude
        if !value.isFinite {
            return nonFinite(value)
        }
        let form: JSONNumber.Form =
            !isInteger ? .decimal : (exponent == 0 && !dropped && mantissa <= 1 << 53) ? .integer : .bigInteger
        return JSONNumber(value: value, form: form)
    }

    /// 10^n for 0 ≤ n ≤ 22, exactly (every one of them is a Double).
    @inline(__always)
    private static func exactPowerOfTen(_ n: Int) -> Double {
        var r = 1.0
        var b = 10.0
        var k = n
        while k > 0 {  // squaring stays exact: every intermediate is a power of ten ≤ 10^22
            if k & 1 == 1 { r *= b }
            b *= b
            k >>= 1
        }
        return r
    }
}
