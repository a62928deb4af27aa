/// A cursor over a binary payload, little-endian as Bluetooth GATT sends its values.
/// Reading past the end throws a `truncated` rejection that names the field. Each read is
/// inlined: called, they were a tenth of a binary decode.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - offset }

    @inline(__always)
    mutating func uint8(_ field: @autoclosure () -> String) throws(Rejection) -> UInt8 {
        try need(1, field())
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    mutating func uint16(_ field: @autoclosure () -> String) throws(Rejection) -> UInt16 {
        try need(2, field())
        defer { offset += 2 }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    mutating func int16(_ field: @autoclosure () -> String) throws(Rejection) -> Int16 {
        Int16(bitPattern: try uint16(field()))
    }

    @inline(__always)
    mutating func uint64(_ field: @autoclosure () -> String) throws(Rejection) -> UInt64 {
        try need(8, field())
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The next `n` bytes, read as one field.
    @inline(__always)
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
    @inline(__always)
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
