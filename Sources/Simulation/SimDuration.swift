/// Durations and times of day as scenario files write them.
public enum SimDuration {
    /// `250ms`, `90s`, `15m`, `2h`, `1d` (or a sum such as `1h30m`) as milliseconds; `0` is zero.
    public static func parse(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        var total: Int64 = 0
        var number: Int64?
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while let c = rest.first {
            if let digit = c.wholeNumberValue, c.isASCII {
                let (times, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(digit))
                guard !o1, !o2 else { return nil }
                number = sum
                rest = rest.dropFirst()
                continue
            }
            guard let n = number else { return nil }
            let unit: Int64
            if rest.hasPrefix("ms") { unit = 1; rest = rest.dropFirst(2) }
            else if c == "s" { unit = 1000; rest = rest.dropFirst() }
            else if c == "m" { unit = 60_000; rest = rest.dropFirst() }
            else if c == "h" { unit = 3_600_000; rest = rest.dropFirst() }
            else if c == "d" { unit = 86_400_000; rest = rest.dropFirst() }
            else { return nil }
            let (part, overflow) = n.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            total += part
            number = nil
        }
        return number == nil ? total : nil
    }

    /// `08:00` or `20:30` as milliseconds after local midnight.
    public static func timeOfDay(_ text: String) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
              let h = Int64(parts[0]), let m = Int64(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return (h * 60 + m) * 60_000
    }

    /// A zone offset `+08:00`, `-05:30` or `Z` as milliseconds east of UTC.
    public static func zoneOffset(_ text: String) -> Int64? {
        if text == "Z" || text == "UTC" { return 0 }
        guard let sign = text.first, sign == "+" || sign == "-",
              let t = timeOfDay(String(text.dropFirst())), t <= 14 * 3_600_000 else { return nil }
        return sign == "-" ? -t : t
    }

    /// Milliseconds as the shortest exact text: `90s`, `15m`, `1h30m`.
    public static func text(_ millis: Int64) -> String {
        if millis == 0 { return "0s" }
        var rest = millis
        var out = millis < 0 ? "-" : ""
        rest = abs(rest)
        for (unit, name) in [(Int64(86_400_000), "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")] where rest >= unit {
            out += "\(rest / unit)\(name)"
            rest %= unit
        }
        return out
    }
}
