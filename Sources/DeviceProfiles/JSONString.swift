/// A string the scanner has validated: the byte range of its body between the quotes,
/// still escaped. Decoded only when a field needs it.
struct JSONString {
    private var start32: Int32
    private var end32: Int32
    /// Whether the body holds a backslash escape (otherwise the raw bytes are the value).
    var hasEscapes: Bool

    init(start: Int, end: Int, hasEscapes: Bool) {
        start32 = Int32(truncatingIfNeeded: start)
        end32 = Int32(truncatingIfNeeded: end)
        self.hasEscapes = hasEscapes
    }

    /// Offset of the first byte after the opening quote.
    var start: Int { Int(start32) }
    /// Offset of the closing quote.
    var end: Int { Int(end32) }

    /// The decoded UTF-8 bytes, one at a time.
    func bytes(in base: UnsafePointer<UInt8>) -> JSONStringBytes {
        JSONStringBytes(base: base, index: start, end: end)
    }

    /// The decoded value as a String.
    func string(in base: UnsafePointer<UInt8>) -> String {
        if !hasEscapes {
            return String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        }
        // Escapes only ever shrink: `\n` is 2 bytes for 1, `\uXXXX` 6 for at most 3, a pair 12 for 4.
        return String(unsafeUninitializedCapacity: end - start) { out in
            var it = bytes(in: base)
            var n = 0
            while let b = it.next() {
                out[n] = b
                n += 1
            }
            return n
        }
    }

    /// The number of Unicode scalars, and whether any is a control character (U+0000–U+001F, U+007F).
    func scalarCount(in base: UnsafePointer<UInt8>) -> (count: Int, hasControl: Bool) {
        var count = 0
        var control = false
        var it = bytes(in: base)
        while let b = it.next() {
            if b & 0xC0 != 0x80 { count += 1 }
            if b < 0x20 || b == 0x7F { control = true }
        }
        return (count, control)
    }

    /// FNV-1a of the decoded bytes, for duplicate-key detection.
    func hash(in base: UnsafePointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        if !hasEscapes {
            for i in start..<end { h = (h ^ UInt32(base[i])) &* 16_777_619 }
        } else {
            var it = bytes(in: base)
            while let b = it.next() { h = (h ^ UInt32(b)) &* 16_777_619 }
        }
        return h
    }

    /// Whether two strings of the same document decode to the same bytes.
    func decodesEqual(to other: JSONString, in base: UnsafePointer<UInt8>) -> Bool {
        if !hasEscapes && !other.hasEscapes {
            let n = end - start
            guard n == other.end - other.start else { return false }
            return UnsafeBufferPointer(start: base + start, count: n)
                .elementsEqual(UnsafeBufferPointer(start: base + other.start, count: n))
        }
        var a = bytes(in: base)
        var b = other.bytes(in: base)
        while true {
            let x = a.next()
            guard x == b.next() else { return false }
            if x == nil { return true }
        }
    }
}

/// Decodes the escapes of a validated string body into UTF-8 bytes.
struct JSONStringBytes: IteratorProtocol {
    let base: UnsafePointer<UInt8>
    var index: Int
    let end: Int
    /// Bytes still to hand out from a multi-byte `\u` scalar, lowest byte first.
    private var pending: UInt32 = 0
    private var pendingCount = 0

    init(base: UnsafePointer<UInt8>, index: Int, end: Int) {
        self.base = base
        self.index = index
        self.end = end
    }

    mutating func next() -> UInt8? {
        if pendingCount > 0 {
            pendingCount -= 1
            let b = UInt8(truncatingIfNeeded: pending)
            pending >>= 8
            return b
        }
        guard index < end else { return nil }
        let b = base[index]
        guard b == UInt8(ascii: "\\") else {
            index += 1
            return b
        }
        let e = base[index + 1]
        index += 2
        switch e {
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "u"): break
        default: return e  // `"`, `\`, `/`
        }
        var scalar = hex4(at: index)
        index += 4
        if scalar >= 0xD800 && scalar <= 0xDBFF {  // the scanner checked that a low surrogate follows
            let low = hex4(at: index + 2)
            index += 6
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        return encode(scalar)
    }

    private func hex4(at i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v = v << 4 | UInt32(JSONScanner.hexValue(base[i + k])) }
        return v
    }

    /// Returns the first UTF-8 byte of `scalar` and queues the rest.
    private mutating func encode(_ s: UInt32) -> UInt8 {
        switch s {
        case 0..<0x80:
            return UInt8(s)
        case 0x80..<0x800:
            pending = 0x80 | (s & 0x3F)
            pendingCount = 1
            return UInt8(0xC0 | (s >> 6))
        case 0x800..<0x10000:
            pending = (0x80 | ((s >> 6) & 0x3F)) | (0x80 | (s & 0x3F)) << 8
            pendingCount = 2
            return UInt8(0xE0 | (s >> 12))
        default:
            pending = (0x80 | ((s >> 12) & 0x3F)) | (0x80 | ((s >> 6) & 0x3F)) << 8 | (0x80 | (s & 0x3F)) << 16
            pendingCount = 3
            return UInt8(0xF0 | (s >> 18))
        }
    }
}
