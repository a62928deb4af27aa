/// ECG samples are stored as 16-bit little-endian integers in a BLOB.
enum ECGSamples {
    static func withLittleEndianBytes<R>(_ samples: [Int16], _ body: (UnsafeRawBufferPointer) -> R) -> R {
        #if _endian(little)
        return samples.withUnsafeBytes(body)
        #else
        return samples.map { $0.littleEndian }.withUnsafeBytes(body)
        #endif
    }

    static func decode(_ bytes: [UInt8]) -> [Int16] {
        var samples = [Int16](repeating: 0, count: bytes.count / 2)
        for i in samples.indices {
            samples[i] = Int16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8)
        }
        return samples
    }
}
