/// The kind of data a device publishes on one topic: `care/{station}/{device}/{stream}`.
///
/// Named `StreamKind` rather than `Stream` so it never collides with Foundation's `Stream`.
public enum StreamKind: UInt8, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case bp
    case glucose
    case ecg
    case sos
    case status

    /// The name used on the wire, in the database and on the command line.
    public var name: String {
        switch self {
        case .bp: "bp"
        case .glucose: "glucose"
        case .ecg: "ecg"
        case .sos: "sos"
        case .status: "status"
        }
    }

    public var description: String { name }

    /// The stream for a wire name, or nil for an unknown one.
    public init?(name: some StringProtocol) {
        switch name {
        case "bp": self = .bp
        case "glucose": self = .glucose
        case "ecg": self = .ecg
        case "sos": self = .sos
        case "status": self = .status
        default: return nil
        }
    }
}
