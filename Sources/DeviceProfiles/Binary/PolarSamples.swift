/// The samples of a Polar PMD ECG frame: 3-byte little-endian signed µV values.
enum PolarSamples {
    /// Writes each 3-byte sample of `raw` into `out` as 16 bits, and says whether every one fit.
    ///
    /// The hot loop of the frame: branch-free byte arithmetic the compiler vectorises. A sample
    /// fits 16 bits when its top byte only repeats the sign of the byte below it; a misfit is
    /// noted and reported after the pass rather than checked per sample.
    @inline(__always)
    static func read(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Int16>) -> Bool {
        precondition(raw.count == out.count * 3)
        var misfit: UInt8 = 0
        for k in 0..<out.count {
            let low = raw[3 * k], middle = raw[3 * k + 1], high = raw[3 * k + 2]
            out[k] = Int16(bitPattern: UInt16(middle) << 8 | UInt16(low))
            misfit |= high ^ UInt8(bitPattern: Int8(bitPattern: middle) >> 7)
        }
        return misfit == 0
    }
}
