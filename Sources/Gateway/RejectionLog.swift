import Logging
import Synchronization

/// Logs rejected messages at most once a minute per kind of rejection and device (or topic),
/// with the number suppressed since: a broken device must not flood the journal.
final class RejectionLog: Sendable {
    private struct Entry {
        var lastLogged: Int64
        var suppressed: Int
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let intervalMillis: Int64
    private let logger: Logger
    private static let maxEntries = 10_000

    init(logger: Logger, intervalMillis: Int64 = 60_000) {
        self.logger = logger
        self.intervalMillis = intervalMillis
    }

    /// Records one rejection; logs it if this kind and source has not been logged recently.
    /// `reason` must not carry patient values (rejection details never do).
    func record(kind: String, source: String, reason: String, now: Int64, quarantined: Bool = true) {
        let key = "\(kind) \(source)"
        let suppressed: Int? = entries.withLock { entries in
            if entries.count >= Self.maxEntries { entries.removeAll(keepingCapacity: true) }
            if var entry = entries[key], now - entry.lastLogged < intervalMillis {
                entry.suppressed += 1
                entries[key] = entry
                return nil
            }
            let count = entries[key]?.suppressed ?? 0
            entries[key] = Entry(lastLogged: now, suppressed: 0)
            return count
        }
        guard let suppressed else { return }
        let more = suppressed > 0 ? " (\(suppressed) more like it since the last report)" : ""
        logger.warning("rejected a message from \(source): \(reason)\(quarantined ? "; kept in quarantine" : "")\(more)")
    }
}
