import DeviceProfiles
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
    /// ECG chunks the analysis refused (overlapping the one before); they are stored all the same.
    public let ecgRefused = Atomic<Int>(0)
    /// Rejections by kind, in `RejectionKind.allCases` order (bad input is rare: a lock will do).
    private let rejectedByKind = Mutex([Int](repeating: 0, count: RejectionKind.allCases.count))

    public init() {}

    /// Counts one quarantined message of `kind`.
    func reject(_ kind: RejectionKind) {
        rejected.add(1, ordering: .relaxed)
        let k = RejectionKind.allCases.firstIndex(of: kind)!
        rejectedByKind.withLock { $0[k] += 1 }
    }

    /// Quarantined messages by kind since the start, the kinds with none left out.
    public var rejections: [(kind: RejectionKind, count: Int)] {
        let counts = rejectedByKind.withLock { $0 }
        return zip(RejectionKind.allCases, counts).map { ($0, $1) }.filter { $0.count > 0 }
    }

    /// One line for the log.
    public var summary: String {
        let kinds = rejections.map { "\($0.kind.rawValue) \($0.count)" }.joined(separator: ", ")
        return "received \(received.load(ordering: .relaxed)), rejected \(rejected.load(ordering: .relaxed))"
            + (kinds.isEmpty ? "" : " (\(kinds))") + ", "
            + "duplicates \(duplicates.load(ordering: .relaxed)), readings missing upstream \(gaps.load(ordering: .relaxed)), "
            + "alert events \(alertEvents.load(ordering: .relaxed)), spool write failures \(spoolFailures.load(ordering: .relaxed))"
            + (ecgRefused.load(ordering: .relaxed) > 0 ? ", ECG chunks stored but not analysed \(ecgRefused.load(ordering: .relaxed))" : "")
    }
}
