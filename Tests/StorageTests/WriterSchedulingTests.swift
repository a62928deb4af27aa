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
