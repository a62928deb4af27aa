/// Typed reads of captured members. Every rule broken becomes a `Rejection` whose detail
/// names the field and the rule, never the value sent.
///
/// `null` counts as absent: an optional field reads as nil, a required one is missing.
extension CapturedObject {
    @inline(__always)
    func number(_ slot: Int, _ name: String) throws(Rejection) -> Double? {
        switch slots[slot] {
        case .absent, .null: return nil
        case .number(let n): return n.value
        default: throw Rejection(.wrongType, "\(name) must be a number")
        }
    }

    @inline(__always)
    func requiredNumber(_ slot: Int, _ name: String) throws(Rejection) -> Double {
        guard let v = try number(slot, name) else { throw Self.missing(name) }
        return v
    }

    /// An integer written without fraction or exponent; nil when absent.
    @inline(__always)
    func integer(_ slot: Int, _ name: String, range: ClosedRange<Int64>, rule: @autoclosure () -> String)
        throws(Rejection) -> Int64?
    {
        switch slots[slot] {
        case .absent, .null:
            return nil
        case .number(let n) where n.form != .decimal:
            guard let v = n.integer, range.contains(v) else { throw Rejection(.outOfRange, rule()) }
            return v
        default:
            throw Rejection(.wrongType, "\(name) must be an integer (no fraction or exponent)")
        }
    }

    @inline(__always)
    func requiredInteger(_ slot: Int, _ name: String, range: ClosedRange<Int64>, rule: @autoclosure () -> String)
        throws(Rejection) -> Int64
    {
        guard let v = try integer(slot, name, range: range, rule: rule()) else { throw Self.missing(name) }
        return v
    }

    @inline(__always)
    func bool(_ slot: Int, _ name: String) throws(Rejection) -> Bool? {
        switch slots[slot] {
        case .absent, .null: return nil
        case .bool(let b): return b
        default: throw Rejection(.wrongType, "\(name) must be true or false")
        }
    }

    @inline(__always)
    func string(_ slot: Int, _ name: String) throws(Rejection) -> JSONString? {
        switch slots[slot] {
        case .absent, .null: return nil
        case .string(let s): return s
        default: throw Rejection(.wrongType, "\(name) must be a string")
        }
    }

    /// A string of `lengths` Unicode scalars, none of them a control character.
    func text(_ slot: Int, _ name: String, lengths: ClosedRange<Int>) throws(Rejection) -> String? {
        guard let s = try string(slot, name) else { return nil }
        let (count, control) = s.scalarCount(in: base)
        guard lengths.contains(count), !control else {
            let rule = "\(name) must be \(lengths.lowerBound)–\(lengths.upperBound) characters"
            throw Rejection(.outOfRange, rule + " without control characters")
        }
        return s.string(in: base)
    }

    func requiredText(_ slot: Int, _ name: String, lengths: ClosedRange<Int>) throws(Rejection) -> String {
        guard let v = try text(slot, name, lengths: lengths) else { throw Self.missing(name) }
        return v
    }

    /// One of a fixed set of words (each at most 16 bytes), matched as bytes by `match`; nil when absent.
    func choice<E>(_ slot: Int, _ name: String, _ words: @autoclosure () -> String, _ match: (PackedKey) -> E?)
        throws(Rejection) -> E?
    {
        guard let s = try string(slot, name) else { return nil }
        let key = PackedKey(s, base: base, end: end)
        guard key.count <= PackedKey.capacity, let option = match(key) else {
            throw Rejection(.outOfRange, "\(name) must be one of \(words())")
        }
        return option
    }

    static func missing(_ name: String) -> Rejection { Rejection(.missingField, "\(name) is required") }
}

/// Fails with `.outOfRange` and `rule` unless `ok`.
@inline(__always)
func require(_ ok: Bool, _ rule: @autoclosure () -> String) throws(Rejection) {
    if !ok { throw Rejection(.outOfRange, rule()) }
}
