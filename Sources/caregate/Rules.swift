import AlertEngine
import ArgumentParser
import CommandContract
import Gateway

/// `caregate rules check FILE`: reads a rules file as the gateway would, without running it.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a rules file before the gateway reads it.", subcommands: [Check.self])

    func run() throws {
        throw UsageError("caregate: give what to do with rules: check FILE (see caregate rules --help)")
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a rules file: exit 0 and a summary if the gateway would take it, 1 and file:line: reason if not.")

        @Argument(help: "The rules file (see systemd/rules.yaml).") var file: String

        func run() throws {
            let book: RuleBookSummary
            do {
                book = RuleBookSummary(try RulesFile.load(file))
            } catch {
                throw Failure("caregate: \(error)")
            }
            print("\(file): ok: \(book.text)")
        }
    }
}

/// One line about a rule book: what a reload would take.
struct RuleBookSummary {
    var text: String

    init(_ book: RuleBook) {
        let rules = book.families.reduce(0) { $0 + $1.rules.count }
        text = "\(book.families.count) families, \(rules) threshold rules, sos.call \(book.emergencyCallPriority), "
            + (book.silence.map { "device.silent after \($0.defaultAllowanceMillis / 60_000) min" } ?? "device.silent off")
            + (book.unregistered.map { ", device.unregistered \($0)" } ?? ", device.unregistered off")
            + ", \(book.overrides.count) overrides"
    }
}
