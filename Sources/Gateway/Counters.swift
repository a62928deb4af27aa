import Synchronization

/// What the gateway has done since it started, for the log and (later) the metrics endpoint.
public final class Counters: Sendable {
    public let received = Atomic<Int>(0)
    public let stored = Atomic<Int>(0)
    public let rejected = Atomic<Int>(0)
    public let duplicates = Atomic<Int>(0)
    public let gaps = Atomic<Int>(0)
    public let alertEvents = Atomic<Int>(0)
    public let spoolFailures = Atomic<Int>(0)

    public init() {}

    /// One line for the log.
    public var summary: String {
        "received \(received.load(ordering: .relaxed)), rejected \(rejected.load(ordering: .relaxed)), "
            + "duplicates \(duplicates.load(ordering: .relaxed)), readings missing upstream \(gaps.load(ordering: .relaxed)), "
            + "alert events \(alertEvents.load(ordering: .relaxed)), spool write failures \(spoolFailures.load(ordering: .relaxed))"
    }
}
