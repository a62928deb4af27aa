/// Makes alert ids that stay unique across restarts: the gateway clock's ms and a counter, in
/// base 36, e.g. `a-m3q9x0ab-1`.
public struct AlertIdentifier: Sendable {
    private var counter: Int64 = 0

    public init() {}

    public mutating func next(now: Int64) -> String {
        counter += 1
        return "a-\(String(now, radix: 36))-\(String(counter, radix: 36))"
    }
}
