/// A whole JSON document as a small tree, for the profiles whose payloads are not one flat
/// object (SenML packs, vendors' nested JSON). Built by the same strict scanner as the
/// canonical profile, so it refuses exactly what that refuses (not UTF-8, not JSON, a key
/// given twice, nesting deeper than 8, NaN or infinity), in the same order of precedence.
/// Payloads are at most 64 KiB, so a tree is small and bounded.
indirect enum JSONTree: Equatable {
    case null
    case bool(Bool)
    /// A number, and whether it was written as an exact integer (no fraction or exponent, within ±2^53).
    case number(Double, isInteger: Bool)
    case string(String)
    case array([JSONTree])
    /// Members in document order (names are unique: a repeated one refuses the document).
    case object([Member])

    struct Member: Equatable {
        var name: String
        var value: JSONTree
    }

    /// The member named `name` of an object; nil when absent or not an object.
    subscript(name: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.name == name }?.value
    }

    /// Parses a payload of at most 64 KiB.
    static func parse(_ payload: UnsafeRawBufferPointer) -> Result<JSONTree, Rejection> {
        guard payload.count <= CanonicalProfile.maxPayloadBytes else { return .failure(CanonicalProfile.tooLarge) }
        guard let raw = payload.baseAddress, payload.count > 0 else {
            return .failure(Rejection(.notJSON, "the payload is empty"))
        }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let result = withUnsafeTemporaryAllocation(of: JSONKeyStack.Record.self, capacity: 48) {
            scratch -> Result<JSONTree, Rejection> in
            var scanner = JSONScanner(base: base, count: payload.count, keyScratch: scratch)
            defer { scanner.release() }
            do throws(Rejection) {
                let tree = try build(&scanner)
                scanner.skipWhitespace()
                guard scanner.pos == scanner.end else {
                    throw Rejection(.notJSON, "unexpected characters after the JSON value")
                }
                if let fault = scanner.fault { throw fault.rejection }
                return .success(tree)
            } catch {
                return .failure(error)
            }
        }
        if case .failure(let fault) = result, fault.kind == .notJSON, !UTF8Check.isValid(payload) {
            return .failure(Rejection(.notUTF8, "the payload must be valid UTF-8"))
        }
        return result
    }

    static func parse(_ payload: [UInt8]) -> Result<JSONTree, Rejection> {
        payload.withUnsafeBytes { parse($0) }
    }

    /// Builds the value at the scanner's position from its tokens, without recursion.
    private static func build(_ scanner: inout JSONScanner) throws(Rejection) -> JSONTree {
        scanner.skipWhitespace()
        if let scalar = try scanner.scanScalar() { return leaf(scalar, scanner.base) }
        // Open containers: their kind, members or elements so far, and the name awaiting a value.
        var stack: [(isObject: Bool, members: [Member], elements: [JSONTree], name: String?)] = []
        scanner.state = .value
        while true {
            let token = try scanner.next()
            var finished: JSONTree?
            switch token {
            case .objectStart: stack.append((true, [], [], nil))
            case .arrayStart: stack.append((false, [], [], nil))
            case .key(let name): stack[stack.count - 1].name = name.string(in: scanner.base)
            case .scalar(let v): finished = leaf(v, scanner.base)
            case .objectEnd: finished = .object(stack.removeLast().members)
            case .arrayEnd: finished = .array(stack.removeLast().elements)
            }
            guard let value = finished else { continue }
            guard !stack.isEmpty else { return value }
            if stack[stack.count - 1].isObject {
                stack[stack.count - 1].members.append(Member(name: stack[stack.count - 1].name ?? "", value: value))
            } else {
                stack[stack.count - 1].elements.append(value)
            }
        }
    }

    private static func leaf(_ v: JSONValue, _ base: UnsafePointer<UInt8>) -> JSONTree {
        switch v {
        case .absent, .null, .object, .array: .null
        case .bool(let b): .bool(b)
        case .number(let n): .number(n.value, isInteger: n.form == .integer)
        case .string(let s): .string(s.string(in: base))
        }
    }
}
