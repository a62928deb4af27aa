/// A cursor over a binary payload, little-endian as Bluetooth GATT sends its values.
/// Reading past the end throws a `truncated` rejection that names the field.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - offset }

    mutating func uint8(_ field: @autoclosure () -> String) throws(Rejection) -> UInt8 {
        try need(1, field())
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16(_ field: @autoclosure () -> String) throws(Rejection) -> UInt16 {
        try need(2, field())
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    mutating func int16(_ field: @autoclosure () -> String) throws(Rejection) -> Int16 {
        Int16(bitPattern: try uint16(field()))
    }

    mutating func uint64(_ field: @autoclosure () -> String) throws(Rejection) -> UInt64 {
        try need(8, field())
        var v: UInt64 = 0
        for k in (0..<8).reversed() { v = v << 8 | UInt64(bytes[offset + k]) }
        offset += 8
        return v
    }

    /// The next `n` bytes, read as one field.
    mutating func bytes(_ n: Int, _ field: @autoclosure () -> String) throws(Rejection) -> UnsafeRawBufferPointer {
        try need(n, field())
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)])
    }

    /// A Bluetooth characteristic's flags byte, whose bits in `reserved` must be 0.
    mutating func flags(reserved: UInt8) throws(Rejection) -> UInt8 {
        let flags = try uint8("flags")
        guard flags & reserved == 0 else { throw Rejection(.unsupported, "flags bits 5–7 are reserved and must be 0") }
        return flags
    }

    /// A 24-bit two's-complement integer.
    mutating func int24(_ field: @autoclosure () -> String) throws(Rejection) -> Int32 {
        try need(3, field())
        let raw = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        offset += 3
        return Int32(bitPattern: raw << 8) >> 8
    }

    /// `field` is built only for the error: the names of the fields read are never formatted otherwise.
    @inline(__always)
    private func need(_ n: Int, _ field: @autoclosure () -> String) throws(Rejection) {
        guard remaining >= n else {
            throw Rejection(.truncated, "the value ends before its \(field()) (byte \(offset) of \(bytes.count))")
        }
    }
}
