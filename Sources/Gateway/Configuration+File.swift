import Foundation
import MQTT
import Yams

extension Configuration {
    /// Reads a YAML config file. Unknown keys are errors (a typo must not silently fall back to
    /// a default); every error names the file and line.
    public static func load(file path: String) throws(ConfigurationError) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("\(path): cannot read the config file: \(error.localizedDescription)")
        }
        var config = Configuration()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError("\(path): not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        } catch {
            throw ConfigurationError("\(path): not valid YAML: \(error)")
        }
        guard let root else { return config }
        let file = ConfigFile(path: path)
        try file.walk(root, [
            "station": { node throws(ConfigurationError) in config.stations = try file.stations(node) },
            "mqtt": { node throws(ConfigurationError) in try file.walk(node, [
                "url": { n throws(ConfigurationError) in config.broker = try file.broker(n) },
                "client_id": { n throws(ConfigurationError) in config.clientID = try file.string(n) },
                "username": { n throws(ConfigurationError) in config.username = try file.optionalString(n) },
                "password": { n throws(ConfigurationError) in config.password = try file.optionalString(n) },
                "password_file": { n throws(ConfigurationError) in
                    if let p = try file.optionalString(n) { config.password = try file.secret(p, n) }
                },
                "keepalive": { n throws(ConfigurationError) in config.keepAliveSeconds = try file.int(n, 5...3600) },
                "reconnect_delay_max": { n throws(ConfigurationError) in config.reconnectDelayMaxSeconds = try file.int(n, 1...3600) },
                "tls": { n throws(ConfigurationError) in
                    var tls = config.tls ?? TLSOptions()
                    try file.walk(n, [
                        "ca_file": { v throws(ConfigurationError) in tls.caFile = try file.optionalString(v) },
                        "ca_path": { v throws(ConfigurationError) in tls.caPath = try file.optionalString(v) },
                        "cert_file": { v throws(ConfigurationError) in tls.certFile = try file.optionalString(v) },
                        "key_file": { v throws(ConfigurationError) in tls.keyFile = try file.optionalString(v) },
                        "insecure": { v throws(ConfigurationError) in tls.insecure = try file.bool(v) },
                    ])
                    config.tls = tls == TLSOptions() ? nil : tls
                },
            ]) },
            "storage": { node throws(ConfigurationError) in try file.walk(node, [
                "db": { n throws(ConfigurationError) in config.databasePath = try file.string(n) },
                "batch_rows": { n throws(ConfigurationError) in config.writer.batchRows = try file.int(n, 1...1_000_000) },
                "commit_interval_ms": { n throws(ConfigurationError) in config.writer.commitIntervalMillis = try file.int(n, 1...600_000) },
            ]) },
            "rules": { node throws(ConfigurationError) in try file.walk(node, [
                "file": { n throws(ConfigurationError) in config.rulesFile = try file.optionalString(n) },
            ]) },
            "on_call": { node throws(ConfigurationError) in try file.walk(node, [
                "tiers": { n throws(ConfigurationError) in config.onCall.tiers = try file.tiers(n) },
                "escalate_after": { n throws(ConfigurationError) in try file.walk(n, [
                    "high": { v throws(ConfigurationError) in config.onCall.high = try file.timeout(v) },
                    "medium": { v throws(ConfigurationError) in config.onCall.medium = try file.timeout(v) },
                    "low": { v throws(ConfigurationError) in config.onCall.low = try file.timeout(v) },
                ]) },
            ]) },
            "time_zone": { node throws(ConfigurationError) in
                guard let offset = Configuration.parseUTCOffset(try file.string(node)) else {
                    throw file.error(node, "time_zone must be an IANA name such as Asia/Shanghai, UTC, or an offset such as +08:00")
                }
                config.utcOffsetMinutes = offset
            },
            "profiles": { node throws(ConfigurationError) in try file.walk(node, [
                "paths": { n throws(ConfigurationError) in
                    guard let list = n.sequence else { throw file.error(n, "profiles.paths: expected a list of profile files or folders") }
                    var paths: [String] = []
                    for item in list { paths.append(try file.string(item)) }
                    config.profiles = paths
                },
                "polar_ecg_hz": { n throws(ConfigurationError) in config.polarECGHz = try file.int(n, 50...1000) },
            ]) },
            "log": { node throws(ConfigurationError) in try file.walk(node, [
                "level": { n throws(ConfigurationError) in
                    let level = try file.string(n)
                    guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
                        throw file.error(n, "log.level must be one of trace, debug, info, notice, warning, error, critical")
                    }
                    config.logLevel = level
                },
            ]) },
        ])
        return config
    }
}

/// Reading typed values out of YAML nodes, with the file and line in every error.
struct ConfigFile {
    var path: String
    typealias Handler = (Node) throws(ConfigurationError) -> Void

    /// The text of the file at `path`, which is `what` (the rules file, a profile file).
    static func read(_ path: String, _ what: String) throws(ConfigurationError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("\(path): cannot read \(what): \(error.localizedDescription)")
        }
    }

    /// The YAML document of `text`; an empty one is an error.
    static func compose(_ text: String, path: String, _ what: String) throws(ConfigurationError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ConfigurationError("\(path): \(what) is empty") }
            return node
        } catch let error as ConfigurationError {
            throw error
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw ConfigurationError("\(path):\(mark.line): not valid YAML: \(problem)")
            default:
                throw ConfigurationError("\(path): not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
            }
        } catch {
            throw ConfigurationError("\(path): not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
    }

    func error(_ node: Node, _ message: String) -> ConfigurationError {
        ConfigurationError("\(path):\(node.mark?.line ?? 0): \(message)")
    }

    /// Calls the handler of each key of a mapping; an unknown key is an error.
    func walk(_ node: Node, _ handlers: [String: Handler]) throws(ConfigurationError) {
        if case .scalar(let s) = node, s.string.isEmpty || s.string == "~" || s.string == "null" { return }
        guard let mapping = node.mapping else { throw error(node, "expected a mapping of keys to values") }
        for (key, value) in mapping {
            guard let name = key.string, let handler = handlers[name] else {
                throw error(key, "unknown key '\(key.string ?? "?")'; known keys here: \(handlers.keys.sorted().joined(separator: ", "))")
            }
            try handler(value)
        }
    }

    func optionalString(_ node: Node) throws(ConfigurationError) -> String? {
        guard case .scalar(let s) = node else { throw error(node, "expected a single value") }
        if s.style == .plain && (s.string.isEmpty || s.string == "~" || s.string == "null") { return nil }
        return s.string
    }

    func string(_ node: Node) throws(ConfigurationError) -> String {
        guard let s = try optionalString(node), !s.isEmpty else { throw error(node, "expected a value") }
        return s
    }

    func int(_ node: Node, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let i = node.int, range.contains(i) else {
            throw error(node, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return i
    }

    func bool(_ node: Node) throws(ConfigurationError) -> Bool {
        guard let b = node.bool else { throw error(node, "expected true or false") }
        return b
    }

    func stations(_ node: Node) throws(ConfigurationError) -> [String]? {
        do {
            return try Configuration.parseStations(string(node))
        } catch {
            throw self.error(node, error.message)
        }
    }

    func broker(_ node: Node) throws(ConfigurationError) -> BrokerURL {
        let text = try string(node)
        guard let url = BrokerURL(text) else { throw error(node, "mqtt.url must look like mqtt://HOST:PORT or mqtts://HOST:PORT") }
        return url
    }

    /// The on-call tiers: a list of `name` and `members`.
    func tiers(_ node: Node) throws(ConfigurationError) -> [OnCall.Tier] {
        guard let list = node.sequence, !list.isEmpty else { throw error(node, "on_call.tiers: expected a list of tiers, each with a name and members") }
        var tiers: [OnCall.Tier] = []
        for item in list {
            var name: String?
            var members: [String] = []
            try walk(item, [
                "name": { n throws(ConfigurationError) in name = try string(n) },
                "members": { n throws(ConfigurationError) in
                    guard let people = n.sequence else { throw error(n, "members: expected a list of names") }
                    for person in people { members.append(try string(person)) }
                },
            ])
            guard let name else { throw error(item, "every on-call tier needs a name") }
            tiers.append(OnCall.Tier(name: name, members: members))
        }
        return tiers
    }

    /// A duration, or `never`.
    func timeout(_ node: Node) throws(ConfigurationError) -> Int64? {
        if try string(node) == "never" { return nil }
        return try duration(node)
    }

    func secret(_ file: String, _ node: Node) throws(ConfigurationError) -> String {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw error(node, "cannot read mqtt.password_file \(file)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
