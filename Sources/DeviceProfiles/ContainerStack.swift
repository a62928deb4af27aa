/// Which open containers are objects: a bit each, the first 64 levels in a register, deeper
/// ones (only documents already too deep get there) in a bit set allocated on first use.
/// Call `release()` when done.
struct ContainerStack {
    private var low: UInt64 = 0
    private var high: UnsafeMutablePointer<UInt64>?
    private(set) var count = 0

    /// Enough words for the deepest nesting a 65,536-byte payload can hold.
    private static let highWords = 1024

    @inline(__always)
    mutating func push(object: Bool) {
        if count < 64 {
            let bit: UInt64 = 1 << UInt64(count)
            low = object ? low | bit : low & ~bit
        } else {
            setHigh(count - 64, object)
        }
        count += 1
    }

    @inline(__always)
    mutating func pop() { count -= 1 }

    @inline(__always)
    var topIsObject: Bool {
        let i = count - 1
        if i < 64 { return (low >> UInt64(i)) & 1 == 1 }
        return (high![(i - 64) >> 6] >> UInt64((i - 64) & 63)) & 1 == 1
    }

    private mutating func setHigh(_ i: Int, _ object: Bool) {
        if high == nil {
            high = .allocate(capacity: Self.highWords)
            high!.initialize(repeating: 0, count: Self.highWords)
        }
        precondition(i >> 6 < Self.highWords, "nesting beyond what a 65,536-byte payload can hold")
        let bit: UInt64 = 1 << UInt64(i & 63)
        high![i >> 6] = object ? high![i >> 6] | bit : high![i >> 6] & ~bit
    }

    mutating func release() {
        high?.deallocate()
        high = nil
    }
}
