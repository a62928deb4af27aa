import Telemetry

/// Typed reads of a vendor payload's fields by path. Rejections name the path and the rule,
/// never the value. Vendors often send numbers as strings (`"sbp":"142"`): a string that is
/// wholly a decimal number is read as that number.
struct FieldReader {
    let element: JSONTree
    let root: JSONTree

    private func find(_ path: FieldPath, required: Bool) throws(Rejection) -> JSONTree? {
        switch path.find(in: element, root: root) {
        case nil, .null?:
            if required { throw Rejection(.missingField, "\(path) is required") }
            return nil
        case let v?:
            return v
        }
    }

    func number(_ path: FieldPath, required: Bool) throws(Rejection) -> Double? {
        switch try find(path, required: required) {
        case nil: return nil
        case .number(let d, _)?: return d
        case .string(let s)? where Self.isDecimal(s): return Double(s)
        default: throw Rejection(.wrongType, "\(path) must be a number")
        }
    }

    func integer(_ path: FieldPath, range: ClosedRange<Int64>) throws(Rejection) -> Int64? {
        guard let d = try number(path, required: false) else { return nil }
        guard d == d.rounded(), let i = Int64(exactly: d) else { throw Rejection(.wrongType, "\(path) must be an integer") }
        guard range.contains(i) else { throw Rejection(.outOfRange, "\(path) must be from \(range.lowerBound) to 2^53") }
        return i
    }

    func text(_ path: FieldPath, required: Bool) throws(Rejection) -> String? {
        switch try find(path, required: required) {
        case nil: return nil
        case .string(let s)?: return s
        case .number(let d, true)?: return String(Int64(d))
        default: throw Rejection(.wrongType, "\(path) must be a string")
        }
    }

    func bool(_ path: FieldPath, required: Bool) throws(Rejection) -> Bool? {
        switch try find(path, required: required) {
        case nil: return nil
        case .bool(let b)?: return b
        case .number(0, _)?: return false
        case .number(1, _)?: return true
        default: throw Rejection(.wrongType, "\(path) must be true or false")
        }
    }

    func time(_ field: VendorProfile.TimeField, utcOffsetMinutes: Int) throws(Rejection) -> Int64 {
        let path = field.path
        switch field.format {
        case .milliseconds, .seconds:
            guard let d = try number(path, required: true) else { throw Rejection(.missingField, "\(path) is required") }
            let ms = field.format == .seconds ? (d * 1000).rounded() : d.rounded()
            guard let v = Int64(exactly: ms) else { throw Rejection(.outOfRange, "\(path) is not a time") }
            return v
        case .dateTime:
            guard let s = try text(path, required: true) else { throw Rejection(.missingField, "\(path) is required") }
            guard let v = DateTimeText.parse(s, utcOffsetMinutes: utcOffsetMinutes) else {
                throw Rejection(.wrongType, "\(path) must be a date and time like 2026-11-22 08:30:15 or 2026-11-22T08:30:15+08:00")
            }
            return v
        }
    }

    /// `-? digits (. digits)?`, nothing else.
    static func isDecimal(_ s: String) -> Bool {
        var digits = 0
        var dot = false
        for (i, b) in s.utf8.enumerated() {
            switch b {
            case 0x30...0x39: digits += 1
            case 0x2D where i == 0: continue
            case 0x2E where !dot && digits > 0: dot = true
            default: return false
            }
        }
        return digits > 0 && s.utf8.last != 0x2E
    }
}

/// A date and time as vendors write them: `YYYY-MM-DD`, `T` or a space, `hh:mm[:ss[.fff]]`,
/// then `Z`, `±hh:mm`, `±hhmm` or nothing (the station's time zone).
enum DateTimeText {
    static func parse(_ text: String, utcOffsetMinutes: Int) -> Int64? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func take(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2) else { return nil }
        guard take(0x54) || take(0x20), let hour = digits(2), take(0x3A), let minute = digits(2) else { return nil }
        var second = 0
        var millis = 0
        if take(0x3A) {
            guard let s = digits(2) else { return nil }
            second = s
            if take(0x2E) {
                var scale = 100
                var n = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                    if scale > 0 { millis += Int(b[i] - 0x30) * scale }
                    scale /= 10
                    i += 1
                    n += 1
                }
                guard n > 0 else { return nil }
            }
        }
        var offset = utcOffsetMinutes
        if take(0x5A) {
            offset = 0
        } else if i < b.count, b[i] == 0x2B || b[i] == 0x2D {
            let sign = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let h = digits(2) else { return nil }
            _ = take(0x3A)
            guard let m = digits(2), h < 24, m < 60 else { return nil }
            offset = sign * (h * 60 + m)
        }
        guard i == b.count, (1...12).contains(month), day >= 1, day <= BaseTime.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = Int64(BaseTime.daysFromCivil(year: year, month: month, day: day))
        let seconds = ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60 + Int64(second) - Int64(offset) * 60
        return seconds * 1000 + Int64(millis)
    }
}
