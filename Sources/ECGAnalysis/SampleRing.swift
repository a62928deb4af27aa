/// A fixed-size ring of the latest values, for delay lines and running sums: bounded state
/// whatever the length of the stream.
struct SampleRing {
    private var values: [Double]
    private var next = 0

    init(count: Int) {
        values = Array(repeating: 0, count: max(1, count))
    }

    var count: Int { values.count }

    /// Puts `value` in and returns the one it pushes out (`count` values ago).
    @inline(__always)
    mutating func push(_ value: Double) -> Double {
        let old = values[next]
        values[next] = value
        next += 1
        if next == values.count { next = 0 }
        return old
    }

    /// The value `age` pushes ago (0: the latest), for `age` below `count`.
    @inline(__always)
    func value(age: Int) -> Double {
        var i = next - 1 - age
        if i < 0 { i += values.count }
        return values[i]
    }

    mutating func clear() {
        for i in values.indices { values[i] = 0 }
        next = 0
    }
}

/// The mean of the latest `count` values, updated in constant time.
struct MovingAverage {
    private var ring: SampleRing
    private var sum = 0.0
    private var seen = 0

    init(count: Int) { ring = SampleRing(count: count) }

    @inline(__always)
    mutating func push(_ value: Double) -> Double {
        sum += value - ring.push(value)
        if seen < ring.count { seen += 1 }
        return sum / Double(seen)
    }

    mutating func clear() {
        ring.clear()
        sum = 0
        seen = 0
    }
}
