import ArgumentParser
import CommandContract
import Foundation

/// `caregate-sim`: device simulators, scenario verification, replay, recording and load for Caregate.
@main
struct CaregateSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caregate-sim",
        abstract: "Simulated station devices for Caregate: scenarios and their expected alerts, replay of recordings, record, load.",
        subcommands: [Run.self, Verify.self, Replay.self, Record.self, Load.self, Check.self, RegistryExport.self])

    func run() throws {
        throw UsageError("caregate-sim: give a command: run, verify, replay, record, load, check or registry (see caregate-sim --help)")
    }

    /// PROTOCOL.md §5: 0 on success, 2 on bad usage, 1 on any other failure, one clear line on stderr.
    static func main() {
        runAsCommand(named: "caregate-sim")
    }
}

/// Nanoseconds on the monotonic clock.
enum Monotonic {
    static func nanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Sleeps until the monotonic clock reads `deadline`.
    static func sleep(until deadline: UInt64) {
        let now = nanos()
        guard deadline > now else { return }
        var ts = timespec(tv_sec: Int((deadline - now) / 1_000_000_000), tv_nsec: Int((deadline - now) % 1_000_000_000))
        nanosleep(&ts, nil)
    }
}

/// Milliseconds since the Unix epoch.
func wallMillis() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
