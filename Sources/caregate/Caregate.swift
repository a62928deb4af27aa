import ArgumentParser

/// `caregate`: the telemetry gateway of a community health station.
@main
struct Caregate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caregate",
        abstract: "Telemetry gateway for a community health station: MQTT in, alerts out, every reading in SQLite.",
        subcommands: [Run.self, Demo.self, Query.self, Alerts.self, Rules.self, Profiles.self, Residents.self, Devices.self])

    func run() throws {
        throw UsageError("caregate: give a command: run, demo, query, alerts, rules, profiles, residents or devices (see caregate --help)")
    }

    /// PROTOCOL.md §5: 0 on success, 2 on bad usage, 1 on any other failure, one clear line on stderr.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                exit(withError: nil)
            }
            // One clear line (PROTOCOL.md §5); our own errors already begin with "caregate:".
            let message = error is UsageError || error is Failure ? "\(error)" : "caregate: \(Self.message(for: error))"
            FileStandardError.write(message + (code == .validationFailure ? " (see caregate --help)" : ""))
            if code == .validationFailure || error is UsageError {
                Foundation.exit(2)
            }
            Foundation.exit(1)
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

import Foundation

enum FileStandardError {
    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }
}
