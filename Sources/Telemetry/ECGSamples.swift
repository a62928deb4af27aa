/// The samples of an ECG chunk: immutable 16-bit values in one allocation.
///
/// Not an `[Int16]` because of what an array costs to make: every new array of a fixed-size
/// element asks the runtime for its storage class's metadata, a locked hash lookup that took
/// about 90 ns of the 135 an array of 73 samples cost to make and free on this machine,
/// more than decoding them. This buffer's class is not generic, so its metadata is a constant
/// (43 ns made and freed, `BENCHMARKS.md`, issue 4).
public struct ECGSamples: RandomAccessCollection, @unchecked Sendable, Equatable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The buffer; its header is the count. Never written after it is made, which is what
    /// makes sharing it between threads safe (ManagedBuffer itself is never Sendable).
    @usableFromInline
    final class Buffer: ManagedBuffer<Int, Int16> {}

    /// Nil for no samples.
    @usableFromInline let buffer: Buffer?

    /// A buffer of `count` samples that `initialize` must write, every one.
    @inlinable
    public init<E: Error>(count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Int16>) throws(E) -> Void) throws(E) {
        guard count > 0 else {
            buffer = nil
            return
        }
        let made = unsafeDowncast(Buffer.create(minimumCapacity: count) { _ in count }, to: Buffer.self)
        // Int16 is trivial: writing each sample is initialising it, and nothing is left unwritten.
        try made.withUnsafeMutablePointerToElements { (p) throws(E) in
            try initialize(UnsafeMutableBufferPointer(start: p, count: count))
        }
        buffer = made
    }

    /// A copy of `samples`.
    @inlinable
    public init(_ samples: some Collection<Int16>) {
        self.init(count: samples.count) { out in _ = out.initialize(from: samples) }
    }

    public init(arrayLiteral samples: Int16...) {
        self.init(samples)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { buffer?.header ?? 0 }

    @inlinable public subscript(position: Int) -> Int16 {
        precondition(position >= 0 && position < endIndex, "ECG sample index out of range")
        return buffer!.withUnsafeMutablePointerToElements { $0[position] }
    }

    /// Calls `body` with the samples in memory.
    @inlinable
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Int16>) throws(E) -> R) throws(E) -> R {
        guard let buffer else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try buffer.withUnsafeMutablePointerToElements { (p) throws(E) in
            try body(UnsafeBufferPointer(start: p, count: buffer.header))
        }
    }

    @inlinable
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Int16>) throws -> R) rethrows -> R? {
        try withUnsafeBufferPointer { buffer in try body(buffer) }
    }

    public static func == (a: ECGSamples, b: ECGSamples) -> Bool {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.elementsEqual(y) } }
    }

    public var description: String { Array(self).description }
}
