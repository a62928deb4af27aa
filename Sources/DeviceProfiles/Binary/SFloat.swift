/// An IEEE 11073-20601 SFLOAT, as Bluetooth health characteristics carry their measurements:
/// 16 bits, a signed 4-bit base-10 exponent over a signed 12-bit mantissa
/// (`../shared/RESEARCH/standards.md` §1).
///
/// The special values are told apart by the mantissa alone, whatever the exponent, as the
/// reference decoders do: a valid mantissa lies within ±2045. A special value never becomes a number.
enum SFloat: Equatable {
    case number(Double)
    /// Not a number: the device could not measure (a failed cuff sends this).
    case nan
    /// Not at this resolution.
    case notAtResolution
    case positiveInfinity
    case negativeInfinity
    /// The reserved pattern 0x801.
    case reserved

    init(raw: UInt16) {
        let mantissaBits = raw & 0x0FFF
        switch mantissaBits {
        case 0x07FF: self = .nan
        case 0x0800: self = .notAtResolution
        case 0x07FE: self = .positiveInfinity
        case 0x0802: self = .negativeInfinity
        case 0x0801: self = .reserved
        default:
            let mantissa = Int(Int16(bitPattern: mantissaBits << 4) >> 4)
            let exponent = Int(Int16(bitPattern: raw) >> 12)
            // Both operands are exact, so dividing rounds once: 189 × 10⁻¹ is 18.9, not 18.900000000000002.
            self = exponent >= 0
                ? .number(Double(mantissa) * Self.powerOfTen(exponent))
                : .number(Double(mantissa) / Self.powerOfTen(-exponent))
        }
    }

    /// The number, or nil for a special value.
    var value: Double? {
        if case .number(let v) = self { return v }
        return nil
    }

    /// The special value's name, for a rejection's reason.
    var name: String {
        switch self {
        case .number: "a number"
        case .nan: "NaN"
        case .notAtResolution: "NRes (not at this resolution)"
        case .positiveInfinity: "+INF"
        case .negativeInfinity: "-INF"
        case .reserved: "the reserved value 0x801"
        }
    }

    /// 10^n for the exponents an SFLOAT has (0…8), each exact.
    @inline(__always)
    private static func powerOfTen(_ n: Int) -> Double {
        switch n {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        default: 1e8
        }
    }
}

extension ByteReader {
    mutating func sfloat(_ field: @autoclosure () -> String) throws(Rejection) -> SFloat {
        SFloat(raw: try uint16(field()))
    }

    /// An SFLOAT that must be a number: a special value refuses the message with its name.
    mutating func requiredSFloat(_ field: String) throws(Rejection) -> Double {
        let v = try sfloat(field)
        guard let number = v.value else {
            throw Rejection(.notFinite, "\(field) is the SFLOAT special value \(v.name), not a measurement")
        }
        return number
    }
}
