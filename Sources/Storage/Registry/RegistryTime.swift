import Foundation

/// How the registry's commands and files write a time: `2026-11-22 08:00:00+08:00`, in the
/// machine's time zone (the station's), which is how an operator reads and types it.
public enum RegistryTime {
    /// `ms` as the operator reads it.
    public static func text(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ssxxx"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// Reads a time: ms since the Unix epoch, `YYYY-MM-DD` (midnight), or `YYYY-MM-DD HH:MM[:SS]`
    /// (`T` also separates), with a zone (`Z`, `+08:00`) or in the machine's. Nil if it is none of these.
    public static func parse(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if !t.isEmpty, t.allSatisfy(\.isASCIIDigit), t.count >= 10, let ms = Int64(t) { return ms }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.isLenient = false
        let normalised = t.replacingOccurrences(of: "T", with: " ")
        for format in ["yyyy-MM-dd HH:mm:ssXXXXX", "yyyy-MM-dd HH:mmXXXXX", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: normalised) { return Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        return nil
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
