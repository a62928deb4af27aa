import DeviceProfiles
import Foundation
import Telemetry
import Yams

/// Device profile files (`devices/*/profile.yaml`): a built-in profile's file says which one it
/// describes; a vendor's declares its whole JSON format (`devices/README.md`). Read completely
/// and checked; every error names the file, the line and the reason, and a bad file stops
/// start-up rather than half-reading a vendor's data.
public enum ProfileFile {
    /// The names of the profiles built into caregate, which a profile file may describe.
    public static let builtIn: Set<String> = ["caregate-json/1", "senml", "ble-gatt", "polar-pmd"]

    /// What one profile file holds.
    public enum Contents: Sendable, Equatable {
        case builtIn(name: String)
        case vendor(VendorProfile)
    }

    /// The vendor profiles of `paths`: profile files, or folders whose subfolders hold `profile.yaml`.
    public static func loadVendors(_ paths: [String]) throws(ConfigurationError) -> [VendorProfile] {
        var vendors: [VendorProfile] = []
        for file in try profileFiles(paths) {
            if case .vendor(let profile) = try load(file) {
                if let other = vendors.first(where: { $0.name == profile.name || $0.topic == profile.topic }) {
                    throw ConfigurationError("\(file): profile \(profile.name) has the name or topic of profile \(other.name)")
                }
                vendors.append(profile)
            }
        }
        return vendors
    }

    /// The profile files `paths` name, folders expanded, in a stable order.
    public static func profileFiles(_ paths: [String]) throws(ConfigurationError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw ConfigurationError("\(path): no such profile file or folder")
            }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for entry in entries.sorted() {
                let file = "\(path)/\(entry)/profile.yaml"
                if FileManager.default.fileExists(atPath: file) { files.append(file) }
            }
        }
        return files
    }

    /// Reads and checks one profile file.
    public static func load(_ path: String) throws(ConfigurationError) -> Contents {
        try parse(try ConfigFile.read(path, "the profile file"), path: path)
    }

    /// Parses a profile file's text; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws(ConfigurationError) -> Contents {
        let root = try ConfigFile.compose(text, path: path, "the profile file")
        let file = ConfigFile(path: path)
        var name: String?
        var kind: String?
        var topic: TopicPattern?
        var station: String?
        var stream: StreamKind?
        var each: FieldPath?
        var device: FieldPath?
        var time: VendorProfile.TimeField?
        var seq: FieldPath?
        var resident: FieldPath?
        var fieldsNode: Node?
        try file.walk(root, [
            "profile": { n throws(ConfigurationError) in name = try file.string(n) },
            "kind": { n throws(ConfigurationError) in
                let k = try file.string(n)
                guard k == "built-in" || k == "vendor-json" else { throw file.error(n, "kind must be built-in or vendor-json") }
                kind = k
            },
            "description": { n throws(ConfigurationError) in _ = try file.string(n) },
            "topics": { n throws(ConfigurationError) in
                guard let list = n.sequence else { throw file.error(n, "topics: expected a list of topic patterns") }
                for item in list { _ = try file.string(item) }
            },
            "topic": { n throws(ConfigurationError) in
                guard let pattern = TopicPattern(try file.string(n)) else {
                    throw file.error(n, "topic must be levels separated by /, with at most one {station} and one {device} and no MQTT wildcards")
                }
                topic = pattern
            },
            "station": { n throws(ConfigurationError) in
                let id = try file.string(n)
                guard CareTopic.isStationID(id) else { throw file.error(n, "station must be 1–32 characters of a-z, 0-9 and -") }
                station = id
            },
            "stream": { n throws(ConfigurationError) in
                let text = try file.string(n)
                guard let s = StreamKind(name: text), s != .ecg else {
                    throw file.error(n, "stream must be one of bp, glucose, sos, status")
                }
                stream = s
            },
            "each": { n throws(ConfigurationError) in each = try fieldPath(n, file) },
            "device": { n throws(ConfigurationError) in device = try fieldPath(n, file) },
            "seq": { n throws(ConfigurationError) in seq = try fieldPath(n, file) },
            "resident": { n throws(ConfigurationError) in resident = try fieldPath(n, file) },
            "time": { n throws(ConfigurationError) in
                var p: FieldPath?
                var format: VendorProfile.TimeFormat?
                try file.walk(n, [
                    "path": { v throws(ConfigurationError) in p = try fieldPath(v, file) },
                    "format": { v throws(ConfigurationError) in
                        guard let f = VendorProfile.TimeFormat(rawValue: try file.string(v)) else {
                            throw file.error(v, "time.format must be one of \(VendorProfile.TimeFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                        }
                        format = f
                    },
                ])
                guard let p, let format else { throw file.error(n, "time needs a path and a format") }
                time = VendorProfile.TimeField(path: p, format: format)
            },
            // Read once the stream is known.
            "fields": { n throws(ConfigurationError) in fieldsNode = n },
        ])
        guard let name, !name.isEmpty else { throw file.error(root, "the profile file must name its profile (`profile: NAME`)") }
        guard let kind else { throw file.error(root, "the profile file must say its kind: built-in or vendor-json") }
        if kind == "built-in" {
            guard builtIn.contains(name) else {
                throw file.error(root, "caregate has no built-in profile \(name); built in: \(builtIn.sorted().joined(separator: ", "))")
            }
            return .builtIn(name: name)
        }
        guard let topic else { throw file.error(root, "a vendor-json profile needs a topic pattern") }
        guard let stream else { throw file.error(root, "a vendor-json profile needs a stream") }
        guard topic.hasStation || station != nil else {
            throw file.error(root, "the topic has no {station}: give the station the profile's devices belong to")
        }
        guard topic.hasDevice || device != nil else {
            throw file.error(root, "the topic has no {device}: give the path of the device id in the payload (device)")
        }
        guard let fieldsNode else { throw file.error(root, "a vendor-json profile needs its fields") }
        let fields = try self.fields(fieldsNode, stream: stream, file)
        return .vendor(VendorProfile(name: name, topic: topic, station: station, stream: stream, each: each, device: device,
                                     time: time, seq: seq, resident: resident, fields: fields))
    }

    private static func fieldPath(_ node: Node, _ file: ConfigFile) throws(ConfigurationError) -> FieldPath {
        guard let p = FieldPath(try file.string(node)) else {
            throw file.error(node, "a path is member names separated by dots, with [n] for array elements (data.sbp, records[0].value)")
        }
        return p
    }

    private static func fields(_ node: Node, stream: StreamKind, _ file: ConfigFile) throws(ConfigurationError)
        -> [VendorProfile.Field]
    {
        let targets = VendorProfile.targets[stream] ?? []
        guard let mapping = node.mapping else { throw file.error(node, "fields: expected a mapping of field names to paths") }
        var fields: [VendorProfile.Field] = []
        for (key, value) in mapping {
            let name = try file.string(key)
            guard let target = targets.first(where: { $0.name == name }) else {
                throw file.error(key, "a \(stream.name) profile has no field '\(name)'; its fields: \(targets.map(\.name).joined(separator: ", "))")
            }
            fields.append(try field(target, value, file))
        }
        for target in targets where target.required && !fields.contains(where: { $0.target == target.name }) {
            throw file.error(node, "a \(stream.name) profile must say where \(target.name) is")
        }
        return fields
    }

    /// One field: a path alone, or a mapping with path, unit, scale and required.
    private static func field(_ target: (name: String, required: Bool), _ node: Node, _ file: ConfigFile)
        throws(ConfigurationError) -> VendorProfile.Field
    {
        if case .scalar = node {
            return VendorProfile.Field(target: target.name, path: try fieldPath(node, file), required: target.required)
        }
        guard let mapping = node.mapping else { throw file.error(node, "\(target.name): expected a path or a mapping") }
        var path: FieldPath?
        var unit: VendorUnit?
        var scale = 1.0
        var required = target.required
        for (key, v) in mapping {
            switch try file.string(key) {
            case "path":
                path = try fieldPath(v, file)
            case "unit":
                let text = try file.string(v)
                guard let u = VendorUnit(rawValue: text), u.targets.contains(target.name) else {
                    let allowed = VendorUnit.allCases.filter { $0.targets.contains(target.name) }.map(\.rawValue)
                    let units = allowed.isEmpty ? "no unit (it is a word or a flag)" : allowed.joined(separator: ", ")
                    throw file.error(v, "\(target.name) may be in \(units)")
                }
                unit = u
            case "scale":
                scale = try file.number(v, 1e-9...1e9)
            case "required":
                required = try file.bool(v)
            default:
                throw file.error(key, "unknown key '\(key.string ?? "?")'; known keys here: path, required, scale, unit")
            }
        }
        guard let path else { throw file.error(node, "\(target.name) needs a path") }
        return VendorProfile.Field(target: target.name, path: path, unit: unit, scale: scale, required: required)
    }
}
