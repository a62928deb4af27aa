/// A strict one-pass JSON scanner (RFC 8259) over a payload's bytes: no tree, no copies.
///
/// Callers read the top-level object member by member with the primitives here
/// (`scanString`, `scanNumber`, `scanScalar`) and hand any nested value to `skipValue`,
/// which validates it fully with the tokenizer in `JSONScanner+Tokens.swift`.
///
/// Syntax and UTF-8 faults end the scan (`throws`). Faults the document can be read
/// past (nesting deeper than `maxDepth`, a duplicate key, NaN/Infinity or a number too
/// large for a Double) are noted in `fault` and the scan goes on, so that a later syntax
/// fault still wins (see `RejectionKind`).
struct JSONScanner {
    /// The deepest nesting allowed; the top-level container is depth 1.
    static let maxDepth = 8

    let base: UnsafePointer<UInt8>
    let end: Int
    var pos = 0
    /// The document-level fault of highest precedence seen so far.
    private(set) var fault: DocumentFault?
    /// Containers opened by the caller (the top-level object read member by member).
    var outerDepth = 0
    var state = TokenState.value
    var containers = ContainerStack()
    var keys: JSONKeyStack

    /// `keyScratch` is where member names are remembered for duplicate detection; the
    /// scanner moves to the heap if it fills. Call `release()` when done.
    init(base: UnsafePointer<UInt8>, count: Int, keyScratch: UnsafeMutableBufferPointer<JSONKeyStack.Record>) {
        self.base = base
        self.end = count
        self.keys = JSONKeyStack(scratch: keyScratch)
    }

    mutating func release() {
        keys.release()
        containers.release()
    }

    /// The current nesting depth (0 outside the top-level value).
    var depth: Int { outerDepth + containers.count }

    /// Bytes not yet scanned.
    var remaining: Int { end - pos }

    /// The byte at `pos`, or nil at the end.
    var peek: UInt8? { pos < end ? base[pos] : nil }

    mutating func note(_ f: DocumentFault) {
        if let current = fault, current <= f { return }
        fault = f
    }

    static let truncated = Rejection(.notJSON, "the JSON text ends too early")

    @inline(__always)
    mutating func skipWhitespace() {
        // Compact JSON has none: one compare. Every whitespace byte is ≤ 0x20.
        guard pos < end && base[pos] <= 0x20 else { return }
        var p = pos
        while p < end {
            switch base[p] {
            case 0x20, 0x0A, 0x0D, 0x09: p &+= 1
            default:
                pos = p
                return
            }
        }
        pos = p
    }

    /// Consumes `byte` (after optional whitespace) or fails with `expected`.
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ expected: @autoclosure () -> String) throws(Rejection) {
        skipWhitespace()
        guard pos < end else { throw Self.truncated }
        guard base[pos] == byte else { throw Rejection(.notJSON, expected()) }
        pos &+= 1
    }

    /// Opens an object for its member names (the caller consumed its `{`).
    mutating func openObject() {
        if depth <= Self.maxDepth { keys.openObject() }
    }

    /// Records a member name of the innermost object, noting a duplicate.
    @inline(__always)
    mutating func addKey(_ name: JSONString) {
        if depth <= Self.maxDepth && !keys.add(name, in: base) { note(.duplicateKey) }
    }

    /// Closes the innermost object's names (the caller consumed its `}`).
    mutating func closeObject() {
        if depth <= Self.maxDepth && !keys.closeObject(in: base) { note(.duplicateKey) }
    }

    /// Scans a string, number, `true`, `false`, `null`, `NaN` or `Infinity` at `pos`;
    /// nil (nothing consumed) if a container starts there.
    @inline(__always)
    mutating func scanScalar() throws(Rejection) -> JSONValue? {
        guard pos < end else { throw Self.truncated }
        switch base[pos] {
        case UInt8(ascii: "\""):
            return .string(try scanString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try scanNumber())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "N"):
            try literal("NaN")
            return .number(nonFinite(.nan))
        case UInt8(ascii: "I"):
            try literal("Infinity")
            return .number(nonFinite(.infinity))
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return nil
        default:
            throw Rejection(.notJSON, "expected a JSON value")
        }
    }

    /// Notes a NaN or infinity and gives the token to return for it.
    mutating func nonFinite(_ value: Double) -> JSONNumber {
        note(.notFinite)
        return JSONNumber(value: value, form: .decimal)
    }

    mutating func literal(_ word: StaticString) throws(Rejection) {
        let n = word.utf8CodeUnitCount
        guard end - pos >= n else { throw Self.truncated }
        for k in 0..<n where base[pos + k] != word.utf8Start[k] {
            throw Rejection(.notJSON, "expected a JSON value")
        }
        pos += n
    }
}
