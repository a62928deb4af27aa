import AlertEngine
import DeviceProfiles
import Foundation
import Storage
import Telemetry
import Yams

/// A registry file for `caregate residents import`: YAML (residents and devices) or CSV (one
/// resident a row), read and checked completely before anything is stored. Every error names the
/// file, the line and the reason. `systemd/registry.example.yaml` and `.csv` show the formats.
public enum RegistryFile {
    /// Reads `path` (by its extension: `.yaml`, `.yml` or `.csv`); per-resident limits are checked against `book`.
    public static func load(_ path: String, rules book: RuleBook) throws(ConfigurationError) -> [RegistryEntry] {
        let text = try ConfigFile.read(path, "the registry file")
        switch (path as NSString).pathExtension.lowercased() {
        case "yaml", "yml": return try parseYAML(text, path: path, rules: book)
        case "csv": return try RegistryCSV.parse(text, path: path, rules: book)
        default: throw ConfigurationError("\(path): give a registry file ending in .yaml, .yml or .csv")
        }
    }

    /// Parses the YAML form: `residents:` and `devices:` lists.
    public static func parseYAML(_ text: String, path: String, rules book: RuleBook) throws(ConfigurationError) -> [RegistryEntry] {
        let file = ConfigFile(path: path)
        let root = try ConfigFile.compose(text, path: path, "the registry file")
        var checker = RegistryChecker(path: path, rules: book)
        var residentNodes: [Node] = []
        var deviceNodes: [Node] = []
        try file.walk(root, [
            "residents": { n throws(ConfigurationError) in residentNodes = try list(n, "residents", file) },
            "devices": { n throws(ConfigurationError) in deviceNodes = try list(n, "devices", file) },
        ])
        for node in residentNodes { try checker.add(try resident(node, file), line: line(node)) }
        for node in deviceNodes { try checker.add(try device(node, file, checker), line: line(node)) }
        guard !checker.entries.isEmpty else { throw file.error(root, "no residents and no devices in the file") }
        return checker.entries
    }

    private static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    private static func list(_ node: Node, _ key: String, _ file: ConfigFile) throws(ConfigurationError) -> [Node] {
        if case .scalar = node, try file.optionalString(node) == nil { return [] }
        guard let list = node.sequence else { throw file.error(node, "\(key): expected a list") }
        return Array(list)
    }

    private static func resident(_ node: Node, _ file: ConfigFile) throws(ConfigurationError) -> RegistryChecker.Draft {
        var draft = RegistryChecker.Draft()
        try file.walk(node, [
            "id": { n throws(ConfigurationError) in draft.id = try file.string(n) },
            "name": { n throws(ConfigurationError) in draft.name = try file.string(n) },
            "station": { n throws(ConfigurationError) in draft.station = try file.string(n) },
            "born": { n throws(ConfigurationError) in draft.born = try file.optionalString(n) },
            "care_team": { n throws(ConfigurationError) in draft.careTeam = try strings(n, "care_team", file) },
            "identifiers": { n throws(ConfigurationError) in draft.identifiers = try strings(n, "identifiers", file) },
            "contacts": { n throws(ConfigurationError) in
                for item in try list(n, "contacts", file) {
                    var contact = Contact(name: "", phone: "")
                    try file.walk(item, [
                        "name": { v throws(ConfigurationError) in contact.name = try file.string(v) },
                        "relation": { v throws(ConfigurationError) in contact.relation = try file.optionalString(v) ?? "" },
                        "phone": { v throws(ConfigurationError) in contact.phone = try file.string(v) },
                    ])
                    draft.contacts.append(contact)
                }
            },
            "limits": { n throws(ConfigurationError) in
                guard let mapping = n.mapping else { throw file.error(n, "limits: expected RULE: [conditions], e.g. bp.high: [systolic >= 150]") }
                for (key, value) in mapping { draft.limits[try file.string(key)] = try strings(value, "limits", file) }
            },
            "note": { n throws(ConfigurationError) in _ = try file.optionalString(n) },
        ])
        return draft
    }

    private static func device(_ node: Node, _ file: ConfigFile, _ checker: RegistryChecker) throws(ConfigurationError) -> RegistryChecker.DeviceDraft {
        var draft = RegistryChecker.DeviceDraft()
        try file.walk(node, [
            "id": { n throws(ConfigurationError) in draft.id = try file.string(n) },
            "station": { n throws(ConfigurationError) in draft.station = try file.string(n) },
            "kind": { n throws(ConfigurationError) in draft.kind = try file.string(n) },
            "profile": { n throws(ConfigurationError) in draft.profile = try file.string(n) },
            "shared": { n throws(ConfigurationError) in draft.shared = try file.bool(n) },
            "resident": { n throws(ConfigurationError) in draft.resident = try file.string(n) },
            "from": { n throws(ConfigurationError) in draft.from = try file.string(n) },
            "note": { n throws(ConfigurationError) in _ = try file.optionalString(n) },
        ])
        return draft
    }

    private static func strings(_ node: Node, _ key: String, _ file: ConfigFile) throws(ConfigurationError) -> [String] {
        if case .scalar = node { return [try file.string(node)] }
        guard let list = node.sequence else { throw file.error(node, "\(key): expected a list") }
        var result: [String] = []
        for item in list { result.append(try file.string(item)) }
        return result
    }
}
