import ArgumentParser
import CommandContract
import DeviceProfiles
import Gateway

/// `caregate profiles check FILE...`: reads device profile files as the gateway would, without running it.
struct Profiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check device profile files before the gateway reads them.", subcommands: [Check.self])

    func run() throws {
        throw UsageError("caregate: give what to do with profiles: check FILE... (see caregate profiles --help)")
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check profile files or folders of them: exit 0 and what each declares if the gateway would take them, 1 and file:line: reason if not.")

        @Argument(help: "Profile files (devices/*/profile.yaml) or folders of profile folders.") var paths: [String]

        func run() throws {
            guard !paths.isEmpty else { throw UsageError("caregate: give one or more profile files or folders") }
            do {
                for file in try ProfileFile.profileFiles(paths) {
                    switch try ProfileFile.load(file) {
                    case .builtIn(let name):
                        print("\(file): ok: the built-in profile \(name)")
                    case .vendor(let p):
                        let batch = p.each.map { ", one reading per element of \($0)" } ?? ""
                        print("\(file): ok: \(p.name), \(p.stream) readings from \(p.topic)\(batch)")
                    }
                }
                // Names and topics must also be unique across the files, as `caregate run` checks.
                _ = try ProfileFile.loadVendors(paths)
            } catch {
                throw Failure("caregate: \(error)")
            }
        }
    }
}
