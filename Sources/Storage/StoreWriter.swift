import Foundation
import Telemetry
import ThreadName

/// The one writer of the database: a thread that takes items in the order they were submitted
/// and commits them in groups (up to `batchRows` rows, at least every `commitInterval`). A burst
/// of at least `burstRows` is committed once it ends (no row for `burstQuietMillis`), so that
/// after a backlog the last rows do not wait out the interval; a station's steady trickle never
/// gathers that many between commits, so it does not commit more often for this.
///
/// `submit` blocks when `maxQueued` items wait, so a writer that falls behind slows the MQTT
/// callback and the broker holds the rest: nothing is dropped silently.
public final class StoreWriter: @unchecked Sendable {
    public struct Options: Sendable {
        public var batchRows: Int
        public var commitIntervalMillis: Int
        public var maxQueued: Int
        public init(batchRows: Int = 32_768, commitIntervalMillis: Int = 1000, maxQueued: Int = 65_536) {
            self.batchRows = batchRows
            self.commitIntervalMillis = commitIntervalMillis
            self.maxQueued = maxQueued
        }
    }

    /// Called on the writer thread after each commit with the tokens (≥ 0) of the items just made durable.
    public typealias CommitHandler = @Sendable (_ tokens: [Int]) -> Void
    /// Called on the writer thread when a commit fails; the batch is retried.
    public typealias FailureHandler = @Sendable (SQLiteError) -> Void

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [QueuedItem] = []
    private var submitted = 0
    private var committed = 0
    private var closing = false
    private var finished = false
    private var flushWaiters = 0

    private let options: Options
    private let path: String
    private let onCommit: CommitHandler
    private let onFailure: FailureHandler

    /// Opens (and migrates) the database at `path` and starts the writer thread.
    public init(path: String, options: Options = Options(),
                onCommit: @escaping CommitHandler = { _ in }, onFailure: @escaping FailureHandler = { _ in }) throws(SQLiteError) {
        self.path = path
        self.options = options
        self.onCommit = onCommit
        self.onFailure = onFailure
        let db = try Database.openStore(path: path)
        let inserter = try Inserter(db)
        // Ownership of the connection passes to the writer thread; nothing else touches it.
        let connection = HandOver((db, inserter))
        let thread = Thread { [self] in run(connection.value.0, connection.value.1) }
        thread.start()
    }

    /// Queues `item`; `token` comes back through the commit handler once the item is durable
    /// (-1: nothing to report).
    public func submit(_ item: StoreItem, token: Int = -1) {
        condition.lock()
        while queue.count >= options.maxQueued && !closing { condition.wait() }
        queue.append(QueuedItem(item: item, token: token))
        submitted += 1
        if queue.count == 1 || queue.count == Self.burstRows || queue.count >= options.batchRows { condition.broadcast() }
        condition.unlock()
    }

    /// Rows that make a burst, and the pause that ends one (`StoreWriter`).
    public static let burstRows = 1_024
    public static let burstQuietMillis = 20

    /// Waits until everything submitted so far is committed.
    public func flush() {
        condition.lock()
        let target = submitted
        flushWaiters += 1
        condition.broadcast()
        while committed < target && !finished { condition.wait() }
        flushWaiters -= 1
        condition.unlock()
    }

    /// Commits what is queued and stops the thread.
    public func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run(_ db: Database, _ inserter: Inserter) {
        Self.runInBackground()
        var batch: [QueuedItem] = []
        var tokens: [Int] = []
        while true {
            condition.lock()
            // Gather: wait for the first item, then up to the commit interval for more.
            while queue.isEmpty && !closing { condition.wait() }
            let deadline = Date(timeIntervalSinceNow: Double(options.commitIntervalMillis) / 1000)
            while queue.count < min(options.batchRows, options.maxQueued) && !closing && flushWaiters == 0 {
                guard queue.count >= Self.burstRows else {
                    if !condition.wait(until: deadline) { break }
                    continue
                }
                let seen = queue.count
                let quiet = min(deadline, Date(timeIntervalSinceNow: Double(Self.burstQuietMillis) / 1000))
                if !condition.wait(until: quiet) && (queue.count == seen || Date() >= deadline) { break }
            }
            // Take everything queued at once: swap the buffers, copy nothing.
            swap(&queue, &batch)
            let done = closing && batch.isEmpty
            condition.broadcast()
            condition.unlock()
            if done { break }
            if batch.isEmpty { continue }

            if commitWithRetry(batch, db, inserter) {
                tokens.removeAll(keepingCapacity: true)
                for i in batch.indices where batch[i].token >= 0 { tokens.append(batch[i].token) }
                onCommit(tokens)
            }
            condition.lock()
            committed += batch.count
            condition.broadcast()
            condition.unlock()
            batch.removeAll(keepingCapacity: true)
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Makes the calling thread background work for the scheduler. Storage must never keep the
    /// thread that turns readings into alerts from a CPU, and on a 2-core station box a nice
    /// value is not enough: Linux weighs nice only between threads queued on the same CPU, so
    /// while a niced writer ran a commit alone on one CPU, the network thread, the broker and
    /// the devices' traffic all woke on the other, and alerts waited there (p99 3–6 ms at 20,000
    /// msg/s). A CPU that runs only `SCHED_IDLE` threads counts as idle when a thread wakes,
    /// so the network thread takes it at once (p99 0.9–1.5 ms). Where `SCHED_IDLE` is refused
    /// (Linux before 5.4 also lacks the idle-CPU rule), nice 10.
    ///
    /// The price: the writer gets only the CPU nothing else wants. While other programs keep both
    /// CPUs busy it gets about 0.3 % of one (nice 10 got about 10 %), some 700 rows a second,
    /// far above a station's traffic but not a 20,000 msg/s burst. If it falls that far
    /// behind, `submit` blocks at `maxQueued` (and the spool, when both its segments wait, waits
    /// for a commit) with the engine's lock held: the network thread and the timers stop, and
    /// the broker keeps the messages until the writer catches up. README.md, "Known limits".
    static func runInBackground() {
        var unused = sched_param()
        let schedIdle: Int32 = 5  // SCHED_IDLE, <sched.h> with _GNU_SOURCE (not in Swift's Glibc)
        if sched_setscheduler(0, schedIdle, &unused) != 0 {
            // The nice value is per thread on Linux; `who = 0` is the calling thread.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        }
        nameCurrentThread("caregate-store")
    }

    /// Commits `batch`, retrying failures with backoff. While closing it gives up after a few
    /// tries: the spool still holds every message of the batch, and the next start stores them.
    private func commitWithRetry(_ batch: [QueuedItem], _ db: Database, _ inserter: Inserter) -> Bool {
        var delay = 0.05
        var attempts = 0
        while true {
            do {
                try db.execute("BEGIN IMMEDIATE")
                try inserter.insert(batch: batch)
                try db.execute("COMMIT")
                inserter.committed()
                return true
            } catch {
                try? db.execute("ROLLBACK")
                inserter.rolledBack()
                onFailure(error)
                attempts += 1
                if attempts >= 3 && isClosing { return false }
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 5)
            }
        }
    }

    private var isClosing: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closing
    }
}

/// An item waiting for the writer, and the token its commit reports (-1: none).
struct QueuedItem {
    var item: StoreItem
    var token: Int
}

/// Moves a value that is not Sendable to another thread that becomes its only user.
struct HandOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
