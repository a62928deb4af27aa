import ArgumentParser
import CommandContract
import Foundation
import Gateway
import MQTT
import Storage
import Telemetry

/// `caregate alerts list|ack`: the nurses' board from the command line.
struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The open alerts, and acknowledging one.", subcommands: [List.self, Ack.self])

    func run() throws {
        throw UsageError("caregate: give what to do with alerts: list or ack (see caregate alerts --help)")
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The open alerts: most urgent first, then oldest first.")

        @OptionGroup var options: DatabaseOption

        func run() throws {
            let reader = try options.openReader()
            let entries: [BoardEntry]
            do {
                entries = try reader.board()
            } catch {
                throw Failure("caregate: cannot read the alerts in \(options.db): \(error)")
            }
            let now = SystemClock().nowMillis()
            let sorted = entries.sorted { ($0.latest.priority, -$0.raisedAt) > ($1.latest.priority, -$1.raisedAt) }
            let out = Output()
            switch options.format {
            case .jsonl:
                for entry in sorted { out.line(BoardFormat.json(entry, now: now)) }
            case .table:
                out.line(BoardFormat.tableHeader)
                for entry in sorted { out.line(BoardFormat.tableRow(entry, now: now)) }
            }
            out.flush()
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge an open alert: escalation stops. Sent to the running gateway over MQTT, which confirms it.")

        @Argument(help: "The alert's id, e.g. a-m3q9x0ab-1.") var id: String
        @Option(name: .long, help: "Who takes the alert.") var by: String
        @Option(name: .long, help: "The gateway's config file, for its broker and database.") var config: String?
        @Option(name: .customLong("mqtt-url"), help: "Broker, mqtt://HOST:PORT (overrides the config file).") var mqttURL: String?
        @Option(name: .long, help: "SQLite database file (overrides the config file).") var db: String?
        @Option(name: .long, help: "Seconds to wait for the gateway's confirmation.") var timeout: Double = 10

        func run() throws {
            guard (1...128).contains(by.count), (1...128).contains(id.count) else {
                throw UsageError("caregate: --by and the alert id must be 1–128 characters")
            }
            let configuration = try Configuration.resolve(config: config, mqttURL: mqttURL, db: db)
            let alert = try AlertLookup.openAlert(id: id, db: configuration.databasePath)
            let confirmed = try AcknowledgementSender(configuration: configuration)
                .acknowledge(id: id, by: by, station: alert.source.station, timeoutSeconds: timeout)
            print("acknowledged \(id) (\(alert.rule), \(alert.priority), \(alert.source), resident \(alert.resident ?? "unassigned")) by \(by)"
                + (confirmed.resolved ? "; the emergency call is resolved" : ""))
        }
    }
}

/// What the store says of an alert before acknowledging it: a clear answer for an unknown or
/// closed one without bothering the gateway.
enum AlertLookup {
    static func openAlert(id: String, db: String) throws -> AlertEvent {
        guard FileManager.default.fileExists(atPath: db) else { throw Failure("caregate: no database at \(db); pass --db PATH or --config FILE") }
        let history: [AlertEvent]
        let open: Bool
        do {
            let reader = try StoreReader(path: db)
            history = try reader.alertHistory(id: id)
            open = try reader.isOpen(id: id)
        } catch {
            throw Failure("caregate: cannot read \(db): \(error)")
        }
        guard let latest = history.last else { throw Failure("caregate: no alert \(id) in \(db)") }
        if let ack = history.last(where: { $0.kind == .acknowledged }) {
            throw Failure("caregate: alert \(id) was acknowledged already by \(ack.by ?? "?") at \(TimeFormat.iso(ack.at)) UTC")
        }
        guard open else {
            throw Failure("caregate: alert \(id) is closed: \(latest.kind.rawValue) at \(TimeFormat.iso(latest.at)) UTC")
        }
        return latest
    }
}
