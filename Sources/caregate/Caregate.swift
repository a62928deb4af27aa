import ArgumentParser
import CommandContract

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
        runAsCommand(named: "caregate")
    }
}
