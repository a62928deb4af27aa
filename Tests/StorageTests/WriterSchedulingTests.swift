import Foundation
import Storage
import Telemetry
import Testing

/// The writer is background work for the scheduler: on a 2-core station box a commit must never
/// keep the network thread, which turns readings into alerts, from a CPU (StoreWriter).
@Suite struct WriterSchedulingTests {
    /// The threads of this process, by name, with their scheduling policy (`/proc`, `stat` field 41).
    static func threadPolicies() throws -> [String: [Int]] {
        var policies: [String: [Int]] = [:]
        for tid in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") {
            let base = "/proc/self/task/\(tid)"
            guard let name = try? String(contentsOfFile: "\(base)/comm", encoding: .utf8),
                  let stat = try? String(contentsOfFile: "\(base)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // Fields after the name in parentheses start at field 3; the policy is field 41.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 38, let policy = Int(fields[38]) else { continue }
            policies[name.trimmingCharacters(in: .whitespacesAndNewlines), default: []].append(policy)
        }
        return policies
    }

    @Test func theWriterThreadRunsAsIdleWorkUnderItsOwnName() throws {
        let writer = try StoreWriter(path: temporaryPath("sched.db"))
        defer { writer.close() }
        // Once something is committed, the thread has run and set itself up (a flush with nothing
        // submitted returns at once, before the thread may even have started).
        writer.submit(.reading(Reading(source: device, ts: t0, seq: 1, value: .status(DeviceStatus(battery: 80))), receivedAt: t0))
        writer.flush()
        let policies = try Self.threadPolicies()
        let schedIdle = 5
        // Other suites' writers may run at the same time in this process: every one is idle work.
        let writers = policies["caregate-store"] ?? []
        #expect(!writers.isEmpty && writers.allSatisfy { $0 == schedIdle }, "threads and their policies: \(policies)")
    }
}

/// When the writer commits: a burst as soon as it ends, a trickle at the commit interval.
@Suite struct WriterCommitTimingTests {
    @Test func aBurstIsCommittedWhenItEndsNotAtTheInterval() throws {
        let commits = DispatchSemaphore(value: 0)
        let path = temporaryPath("burst.db")
        // Ten minutes between commits, and no batch ever full.
        let writer = try StoreWriter(path: path, options: .init(batchRows: 1_000_000, commitIntervalMillis: 600_000),
                                     onCommit: { _ in commits.signal() })
        defer { writer.close() }
        func reading(_ seq: Int) -> StoreItem {
            .reading(Reading(source: device, ts: t0 + Int64(seq), seq: Int64(seq), value: .status(DeviceStatus(battery: 80))), receivedAt: t0)
        }
        // One row short of a burst: it waits for the interval, far longer than a burst's pause.
        for seq in 1..<StoreWriter.burstRows { writer.submit(reading(seq)) }
        #expect(commits.wait(timeout: .now() + .milliseconds(20 * StoreWriter.burstQuietMillis)) == .timedOut)
        // The row that makes it a burst: committed once nothing more comes, not ten minutes on.
        writer.submit(reading(StoreWriter.burstRows))
        #expect(commits.wait(timeout: .now() + 30) == .success)
        #expect(try StoreReader(path: path).readings(device: device.device).count == StoreWriter.burstRows)
    }
}
