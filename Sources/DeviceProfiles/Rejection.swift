/// Why a message was refused (PROTOCOL.md §4). It is quarantined with this reason and counted.
///
/// `detail` is a short human sentence that never contains patient values: no numbers
/// from the payload and no resident ids, only the rule that was broken
/// (e.g. "systolic must be 20–300 mmHg").
public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure, stored and counted by its raw value.
    public var kind: RejectionKind
    /// The rule that was broken, in words, free of patient values.
    public var detail: String

    public init(_ kind: RejectionKind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// `"kind: detail"`, e.g. `"out_of_range: systolic must be 20–300 mmHg"`.
    public var description: String { "\(kind.rawValue): \(detail)" }
}

/// The classes of bad input, in the words stored in the quarantine table and the metrics.
///
/// When a payload has several faults, the one reported is the first in this order:
/// `too_large`, `not_utf8`, `not_json`, `not_object`, `too_deep`, `duplicate_key`,
/// `not_finite`, then the first field that fails (`missing_field`, `wrong_type`,
/// `out_of_range`), fields taken in a fixed order whatever order the keys came in:
/// ts, seq, resident, then the stream's (see `CanonicalProfile+Streams.swift`).
public enum RejectionKind: String, Sendable, CaseIterable {
    case badTopic = "bad_topic"
    case unknownStream = "unknown_stream"
    case tooLarge = "too_large"
    case notUTF8 = "not_utf8"
    case notJSON = "not_json"
    case notObject = "not_object"
    case duplicateKey = "duplicate_key"
    case tooDeep = "too_deep"
    case missingField = "missing_field"
    case wrongType = "wrong_type"
    case outOfRange = "out_of_range"
    case notFinite = "not_finite"
    /// A binary value ends before a field its flags announce.
    case truncated = "truncated"
    /// Well formed, but in a variant this profile does not read (a reserved flag, a compressed
    /// frame, a SenML version or must-understand field it does not know).
    case unsupported = "unsupported"
}

/// The faults the scanner reads past to the end of the document, so that a later syntax
/// or UTF-8 fault still wins; among themselves the first case wins.
enum DocumentFault: UInt8, Comparable {
    case notObject, tooDeep, duplicateKey, notFinite

    static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    var rejection: Rejection {
        switch self {
        case .notObject: Rejection(.notObject, "the payload must be a JSON object")
        case .tooDeep: Rejection(.tooDeep, "nesting must not be deeper than 8 levels")
        case .duplicateKey: Rejection(.duplicateKey, "a key is given twice in one object")
        case .notFinite: Rejection(.notFinite, "numbers must be finite (no NaN, Infinity or overflow)")
        }
    }
}
