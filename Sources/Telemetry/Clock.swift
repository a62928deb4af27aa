import Synchronization

/// The gateway's notion of now, in ms since the Unix epoch. Injected so that tests and
/// replays control time exactly instead of sleeping.
public protocol WallClock: Sendable {
    func nowMillis() -> Int64
}

/// A clock tests advance by hand.
public final class ManualClock: WallClock {
    private let now: Atomic<Int64>

    public init(millis: Int64 = 1_732_262_400_000) {
        now = Atomic(millis)
    }

    public func nowMillis() -> Int64 { now.load(ordering: .relaxed) }

    /// Moves the clock forward by `ms` milliseconds.
    public func advance(by ms: Int64) { now.add(ms, ordering: .relaxed) }

    /// Sets the clock to `ms`.
    public func set(_ ms: Int64) { now.store(ms, ordering: .relaxed) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's real-time clock.
public struct SystemClock: WallClock {
    public init() {}

    public func nowMillis() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000
    }

    /// Microseconds since the epoch.
    public func nowMicros() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1_000_000 + Int64(t.tv_nsec) / 1000
    }
}
