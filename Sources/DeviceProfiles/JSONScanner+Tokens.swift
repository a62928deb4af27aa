/// A value as a reader keeps it: scalars as their tokens (strings undecoded), containers
/// only by kind (the scanner has validated and skipped them).
enum JSONValue {
    /// Not in the payload (the member was never given).
    case absent
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(JSONString)
    case object
    case array
}

/// One token of a JSON value, in document order.
enum JSONToken {
    case objectStart, objectEnd, arrayStart, arrayEnd
    /// An object member's name; the scanner has already consumed the `:` after it.
    case key(JSONString)
    case scalar(JSONValue)
}

/// What the tokenizer expects next.
enum TokenState { case value, firstKeyOrEnd, key, commaOrObjectEnd, firstValueOrArrayEnd, commaOrArrayEnd, done }

/// The tokenizer: nested values of any depth, validated without recursion.
extension JSONScanner {
    /// Scans the value at `pos` (whitespace skipped) to its end, checking everything in it.
    /// Returns a scalar as it is, a container as `.object` or `.array`.
    @discardableResult
    mutating func skipValue() throws(Rejection) -> JSONValue {
        skipWhitespace()
        if let scalar = try scanScalar() { return scalar }
        state = .value
        let first = try next()
        while containers.count > 0 { _ = try next() }
        if case .objectStart = first { return .object }
        return .array
    }

    /// The next token of the container being skipped.
    mutating func next() throws(Rejection) -> JSONToken {
        skipWhitespace()
        switch state {
        case .value:
            return try value()
        case .firstKeyOrEnd:
            if peek == UInt8(ascii: "}") { return close() }
            return try key()
        case .key:
            return try key()
        case .commaOrObjectEnd:
            switch peek {
            case UInt8(ascii: ","):
                pos += 1
                skipWhitespace()
                return try key()
            case UInt8(ascii: "}"):
                return close()
            case nil:
                throw Self.truncated
            default:
                throw Rejection(.notJSON, "expected ',' or '}' after an object member")
            }
        case .firstValueOrArrayEnd:
            if peek == UInt8(ascii: "]") { return close() }
            return try value()
        case .commaOrArrayEnd:
            switch peek {
            case UInt8(ascii: ","):
                pos += 1
                skipWhitespace()
                return try value()
            case UInt8(ascii: "]"):
                return close()
            case nil:
                throw Self.truncated
            default:
                throw Rejection(.notJSON, "expected ',' or ']' after an array element")
            }
        case .done:
            preconditionFailure("no token after the value")
        }
    }

    private mutating func key() throws(Rejection) -> JSONToken {
        guard peek == UInt8(ascii: "\"") else {
            throw pos < end ? Rejection(.notJSON, "expected a quoted member name") : Self.truncated
        }
        let name = try scanString()
        try expect(UInt8(ascii: ":"), "expected ':' after a member name")
        state = .value
        addKey(name)
        return .key(name)
    }

    private mutating func value() throws(Rejection) -> JSONToken {
        if let scalar = try scanScalar() {
            afterValue()
            return .scalar(scalar)
        }
        let isObject = base[pos] == UInt8(ascii: "{")
        pos += 1
        containers.push(object: isObject)
        if depth > Self.maxDepth { note(.tooDeep) }
        if isObject { openObject() }
        state = isObject ? .firstKeyOrEnd : .firstValueOrArrayEnd
        return isObject ? .objectStart : .arrayStart
    }

    private mutating func close() -> JSONToken {
        let wasObject = containers.topIsObject
        if wasObject { closeObject() }
        containers.pop()
        pos += 1
        afterValue()
        return wasObject ? .objectEnd : .arrayEnd
    }

    private mutating func afterValue() {
        if containers.count == 0 {
            state = .done
        } else {
            state = containers.topIsObject ? .commaOrObjectEnd : .commaOrArrayEnd
        }
    }
}
