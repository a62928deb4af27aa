import AlertEngine
import ArgumentParser
import CommandContract
import Foundation
import Gateway
import Storage
import Telemetry

/// `caregate residents import|show|list`: the station's residents in the registry.
struct Residents: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The residents the station cares for: import them from a file, look one up.",
        subcommands: [Import.self, Show.self, List.self])

    func run() throws {
        throw UsageError("caregate: give what to do with residents: import FILE, show ID or list (see caregate residents --help)")
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or update residents (and devices) from a YAML or CSV file; all of it or, on any error, nothing.",
            discussion: "The formats: systemd/registry.example.yaml and systemd/registry.example.csv. A resident already registered is replaced by the file's; one not in the file stays. The running gateway takes the change within a second.")

        @Argument(help: "The registry file: .yaml, .yml or .csv.") var file: String
        @OptionGroup var options: RegistryOptions
        @Flag(name: .customLong("dry-run"), help: "Check everything and say what would change, but change nothing.") var dryRun = false

        func run() throws {
            let configuration = try options.configuration()
            let book: RuleBook
            let entries: [RegistryEntry]
            do {
                book = try configuration.rulesFile.map { path throws(ConfigurationError) in try RulesFile.load(path) } ?? .defaults
                entries = try RegistryFile.load(file, rules: book)
            } catch {
                throw Failure("caregate: \(error)")
            }
            let summary: ImportSummary
            do {
                summary = try options.openStore().apply(entries, now: SystemClock().nowMillis(), dryRun: dryRun)
            } catch let error as RegistryError {
                throw Failure("caregate: \(file):\(error.line.map(String.init) ?? "?"): \(error.message); nothing was imported")
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure("caregate: \(error); nothing was imported")
            }
            print("\(file): \(dryRun ? "would import" : "imported"): residents \(summary.residentsAdded) added, \(summary.residentsUpdated) updated; "
                + "devices \(summary.devicesAdded) added, \(summary.devicesUpdated) updated; \(summary.assignments) new assignments")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One resident: who they are, whom to call, their devices over time, their limits.")

        @Argument(help: "The resident's id, or an identifier such as their ID-card number.") var id: String
        @OptionGroup var options: RegistryOptions
        @Option(name: .long, help: "Output format: table (readable) or jsonl (one JSON object).") var format: OutputFormat = .table

        func run() throws {
            let registry = try options.registry()
            guard let resident = registry.resident(named: id) else {
                throw Failure("caregate: no resident \(id) in the registry")
            }
            let periods = ResidentFormat.periods(of: resident.id, in: registry)
            switch format {
            case .jsonl: print(ResidentFormat.json(resident, periods))
            case .table: print(ResidentFormat.card(resident, periods), terminator: "")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every registered resident, with their devices now.")

        @OptionGroup var options: RegistryOptions
        @Option(name: .long, help: "Only this station's residents.") var station: String?
        @Option(name: .long, help: "Output format: table (readable) or jsonl (one JSON object a line).") var format: OutputFormat = .table

        func run() throws {
            let registry = try options.registry()
            let now = SystemClock().nowMillis()
            let out = Output()
            if format == .table { out.line(pad("RESIDENT", 14) + pad("STATION", 10) + pad("BORN", 12) + pad("DEVICES NOW", 36) + "NAME") }
            for resident in registry.residents.values.sorted(by: { $0.id < $1.id }) where station.map({ $0 == resident.station }) ?? true {
                let devices = ResidentFormat.periods(of: resident.id, in: registry).filter { $0.assignment.from <= now && ($0.assignment.to ?? .max) > now }
                switch format {
                case .jsonl: out.line(ResidentFormat.json(resident, devices))
                case .table:
                    out.line(pad(resident.id, 14) + pad(resident.station, 10) + pad(resident.born ?? "-", 12)
                             + pad(devices.isEmpty ? "-" : devices.map { $0.device.description }.joined(separator: ", "), 36) + resident.name)
                }
            }
            out.flush()
        }
    }
}
