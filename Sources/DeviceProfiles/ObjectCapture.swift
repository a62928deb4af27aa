/// Which top-level members a decoder wants, and where to keep them.
protocol FieldSchema {
    /// The slot (0..<FieldSlots.count) for a top-level member name, or nil to skip the member.
    func slot(for name: PackedKey) -> Int?
    /// The slot whose value is read as an array of Int16 samples, if any.
    var samplesSlot: Int? { get }
}

/// A fixed set of member slots, so that capturing allocates nothing.
struct FieldSlots {
    static let count = 7
    private var storage: (JSONValue, JSONValue, JSONValue, JSONValue, JSONValue, JSONValue, JSONValue) =
        (.absent, .absent, .absent, .absent, .absent, .absent, .absent)

    subscript(i: Int) -> JSONValue {
        // Readers use constant slots: inlined, this switch folds to one field.
        @inline(__always)
        get {
            switch i {
            case 0: storage.0
            case 1: storage.1
            case 2: storage.2
            case 3: storage.3
            case 4: storage.4
            case 5: storage.5
            default: storage.6
            }
        }
        // The scanner stores to a slot it looked up: a homogeneous tuple is laid out as an
        // array, so index it rather than branch per slot.
        set {
            precondition(i >= 0 && i < Self.count)
            withUnsafeMutableBytes(of: &storage) {
                $0.storeBytes(of: newValue, toByteOffset: i * MemoryLayout<JSONValue>.stride, as: JSONValue.self)
            }
        }
    }
}

/// The wanted members of a top-level object, captured in one pass over a document that
/// has been scanned to its end and found free of document-level faults.
struct CapturedObject {
    /// The payload; `JSONString`s in `slots` point into it.
    private(set) var base: UnsafePointer<UInt8>
    /// The payload's length.
    private(set) var end = 0
    var slots = FieldSlots()
    /// The first fault found among the samples (which go to the caller's array, keeping
    /// this type trivial to copy).
    var samplesFault: SamplesFault?

    enum SamplesFault {
        case notInteger, outOfRange, tooMany

        var rejection: Rejection {
            switch self {
            case .notInteger: Rejection(.wrongType, "samples must be an array of integers")
            case .outOfRange: Rejection(.outOfRange, "samples must be integers from -32768 to 32767")
            case .tooMany: Rejection(.outOfRange, "samples must hold 1–2000 values")
            }
        }
    }

    static let maxSamples = 2000
    /// Member names remembered on the stack before the key stack moves to the heap.
    static let keyScratch = 48

    /// An empty capture; `capture` fills it.
    init() { base = UnsafePointer(bitPattern: 1)! }

    /// Scans `payload` to its end and captures the members `schema` asks for; the values of
    /// its `samplesSlot` array go to `samples` (at most `maxSamples`). Returns the payload's
    /// fault by `RejectionKind` precedence; field rules are the caller's.
    mutating func capture<S: FieldSchema>(_ payload: UnsafeRawBufferPointer, schema: S, samples: inout [Int16])
        -> Rejection?
    {
        guard let raw = payload.baseAddress, payload.count > 0 else {
            return Rejection(.notJSON, "the payload is empty")
        }
        precondition(payload.count < Int(Int32.max), "payload too large for the scanner")
        base = raw.assumingMemoryBound(to: UInt8.self)
        end = payload.count
        let fault = withUnsafeTemporaryAllocation(of: JSONKeyStack.Record.self, capacity: Self.keyScratch) {
            scratch -> Rejection? in
            var scanner = JSONScanner(base: base, count: payload.count, keyScratch: scratch)
            defer { scanner.release() }
            do throws(Rejection) {
                try read(&scanner, schema: schema, samples: &samples)
                return nil
            } catch {
                return error
            }
        }
        if let fault, fault.kind == .notJSON, !UTF8Check.isValid(payload) {
            return Rejection(.notUTF8, "the payload must be valid UTF-8")
        }
        return fault
    }

    /// Reads the top-level object member by member; nested values go to the tokenizer.
    private mutating func read<S: FieldSchema>(_ scanner: inout JSONScanner, schema: S, samples: inout [Int16])
        throws(Rejection)
    {
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "{") else {
            scanner.note(.notObject)
            try scanner.skipValue()
            try Self.finish(&scanner)
            return
        }
        scanner.pos += 1
        scanner.outerDepth = 1
        scanner.openObject()
        var seen: UInt32 = 0
        let samplesSlot = schema.samplesSlot
        scanner.skipWhitespace()
        if scanner.peek == UInt8(ascii: "}") {
            scanner.pos += 1
        } else {
            while true {
                scanner.skipWhitespace()
                guard scanner.peek == UInt8(ascii: "\"") else {
                    if scanner.peek == nil { throw JSONScanner.truncated }
                    throw Rejection(.notJSON, "expected a quoted member name")
                }
                let name = try scanner.scanString()
                try scanner.expect(UInt8(ascii: ":"), "expected ':' after a member name")
                scanner.skipWhitespace()
                let slot = schema.slot(for: PackedKey(name, base: base, end: scanner.end))
                // A known name can only repeat itself: a bit a slot finds it. Only the
                // names the schema skips go to the scanner's name stack.
                if let slot {
                    if seen & (1 &<< slot) != 0 { scanner.note(.duplicateKey) }
                    seen |= 1 &<< slot
                } else {
                    scanner.addKey(name)
                }
                if let slot {
                    if slot == samplesSlot {
                        slots[slot] = try readSamples(&scanner, into: &samples)
                    } else {
                        slots[slot] = try Self.readValue(&scanner)
                    }
                } else {
                    try scanner.skipValue()
                }
                scanner.skipWhitespace()
                guard let b = scanner.peek else { throw JSONScanner.truncated }
                scanner.pos += 1
                if b == UInt8(ascii: "}") { break }
                guard b == UInt8(ascii: ",") else {
                    throw Rejection(.notJSON, "expected ',' or '}' after an object member")
                }
            }
        }
        scanner.closeObject()
        scanner.outerDepth = 0
        try Self.finish(&scanner)
    }

    /// Checks that nothing but whitespace follows the value, then throws any document fault.
    private static func finish(_ scanner: inout JSONScanner) throws(Rejection) {
        scanner.skipWhitespace()
        guard scanner.pos == scanner.end else {
            throw Rejection(.notJSON, "unexpected characters after the JSON value")
        }
        if let fault = scanner.fault { throw fault.rejection }
    }

    /// Reads one value at `pos`; containers are skipped (fully validated) and noted only by kind.
    @inline(__always)
    static func readValue(_ scanner: inout JSONScanner) throws(Rejection) -> JSONValue {
        try scanner.skipValue()
    }
}
