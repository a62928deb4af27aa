/// Builds compact JSON into a byte buffer: no Foundation, no intermediate tree.
/// Callers write keys and values in order; `object`/`array` nest.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":` inside an object; the next value call writes its value.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func value(_ s: String?) {
        separate()
        if let s { appendString(s) } else { appendLiteral("null") }
        needsComma = true
    }

    public mutating func value(_ n: Int64?) {
        separate()
        if let n { appendLiteral(String(n)) } else { appendLiteral("null") }
        needsComma = true
    }

    public mutating func value(_ n: Int?) { value(n.map(Int64.init)) }

    /// Writes a number the shortest way that reads back exactly; integral values without ".0".
    public mutating func value(_ d: Double?) {
        separate()
        if let d, d.isFinite {
            if d == d.rounded(), abs(d) < 1e15 { appendLiteral(String(Int64(d))) } else { appendLiteral(String(d)) }
        } else {
            appendLiteral("null")
        }
        needsComma = true
    }

    public mutating func value(_ b: Bool?) {
        separate()
        appendLiteral(b.map { $0 ? "true" : "false" } ?? "null")
        needsComma = true
    }

    /// Writes `"name": value` pairs in one call.
    public mutating func field(_ name: String, _ v: String?) { key(name); value(v) }
    public mutating func field(_ name: String, _ v: Int64?) { key(name); value(v) }
    public mutating func field(_ name: String, _ v: Int?) { key(name); value(v) }
    public mutating func field(_ name: String, _ v: Double?) { key(name); value(v) }
    public mutating func field(_ name: String, _ v: Bool?) { key(name); value(v) }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendLiteral(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    private mutating func appendString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
