import ArgumentParser
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
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ExitCode {
            // The command has already said why.
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                exit(withError: nil)
            }
            let message = error is UsageError || error is Failure ? "\(error)" : "caregate-sim: \(Self.message(for: error))"
            FileStandardError.write(message + (code == .validationFailure ? " (see caregate-sim --help)" : ""))
            Foundation.exit(code == .validationFailure || error is UsageError ? 2 : 1)
        }
    }
}

/// A mistake in how the command was called: exit status 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A failure while doing the work: exit status 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum FileStandardError {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
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
