/// A measure's recent values on one subject, for a rate-of-change rule: a fixed ring, made once
/// per subject, so a reading allocates nothing.
struct RateWindow: Sendable {
    static let capacity = 64

    private var ts = [Int64](repeating: 0, count: RateWindow.capacity)
    private var values = [Double](repeating: 0, count: RateWindow.capacity)
    private var start = 0
    private var count = 0

    /// Adds a value and returns the rate of change, units a minute, from the oldest value at most
    /// `window` ms old to this one; nil until the values span at least two thirds of the window
    /// (a trend over less is not the trend the rule asks about), or for a reading older than the newest.
    mutating func add(ts t: Int64, value: Double, window: Int64) -> Double? {
        if count > 0 && t <= ts[(start + count - 1) % Self.capacity] { return nil }
        if count == Self.capacity {
            start = (start + 1) % Self.capacity
            count -= 1
        }
        ts[(start + count) % Self.capacity] = t
        values[(start + count) % Self.capacity] = value
        count += 1
        while count > 1 && t - ts[start] > window {
            start = (start + 1) % Self.capacity
            count -= 1
        }
        let span = t - ts[start]
        guard count > 1, span * 3 >= window * 2 else { return nil }
        return (value - values[start]) / (Double(span) / 60_000)
    }
}
