/// Alarm priorities in IEC 60601-1-8 terms. Ordered: `.low < .medium < .high`.
public enum Priority: UInt8, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case low = 1
    case medium = 2
    case high = 3

    public var name: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        }
    }

    public var description: String { name }

    public init?(name: some StringProtocol) {
        switch name {
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        default: return nil
        }
    }

    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
}
