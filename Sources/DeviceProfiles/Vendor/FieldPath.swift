/// A path into a JSON payload: member names separated by dots, array elements by `[n]`
/// (`data.sbp`, `records[0].value`). A leading `$.` starts at the payload's root even inside
/// a batch's element.
public struct FieldPath: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case member(String)
        case element(Int)
    }

    public var steps: [Step]
    /// The path starts at the payload's root, not at a batch's element.
    public var fromRoot: Bool
    public let description: String

    /// Parses a path; nil when it is not one (empty names, a bad index).
    public init?(_ text: String) {
        description = text
        var rest = Substring(text)
        fromRoot = rest.hasPrefix("$.")
        if fromRoot { rest = rest.dropFirst(2) }
        steps = []
        guard !rest.isEmpty else { return nil }
        for part in rest.split(separator: ".", omittingEmptySubsequences: false) {
            var name = part
            var indexes: [Int] = []
            while name.hasSuffix("]") {
                guard let open = name.lastIndex(of: "["), let i = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]),
                      i >= 0 else { return nil }
                indexes.insert(i, at: 0)
                name = name[..<open]
            }
            guard !name.isEmpty, !name.contains("["), !name.contains("]") else { return nil }
            steps.append(.member(String(name)))
            steps += indexes.map(Step.element)
        }
    }

    /// The value at this path, or nil when any step is missing.
    func find(in element: JSONTree, root: JSONTree) -> JSONTree? {
        var node = fromRoot ? root : element
        for step in steps {
            switch step {
            case .member(let name):
                guard let next = node[name] else { return nil }
                node = next
            case .element(let i):
                guard case .array(let items) = node, items.indices.contains(i) else { return nil }
                node = items[i]
            }
        }
        return node
    }
}

/// A topic pattern with placeholders: `kiosk/{station}/{device}/result`. `{station}` and
/// `{device}` each take one whole level; every other level must match exactly.
public struct TopicPattern: Sendable, Equatable, CustomStringConvertible {
    public enum Level: Sendable, Equatable {
        case literal(String)
        case station
        case device
    }

    public var levels: [Level]
    public let description: String

    /// Parses a pattern; nil when it has a placeholder twice, an MQTT wildcard, or an empty level.
    public init?(_ text: String) {
        description = text
        levels = []
        for part in text.split(separator: "/", omittingEmptySubsequences: false) {
            switch part {
            case "{station}": levels.append(.station)
            case "{device}": levels.append(.device)
            default:
                guard !part.isEmpty, !part.contains("+"), !part.contains("#"), !part.contains("{"), !part.contains("}") else {
                    return nil
                }
                levels.append(.literal(String(part)))
            }
        }
        guard levels.filter({ $0 == .station }).count <= 1, levels.filter({ $0 == .device }).count <= 1 else { return nil }
    }

    /// Whether the pattern names the station itself.
    public var hasStation: Bool { levels.contains(.station) }
    /// Whether the pattern names the device itself.
    public var hasDevice: Bool { levels.contains(.device) }

    /// The ids the topic's placeholder levels hold, or nil when it does not match.
    func match(_ topic: String) -> (station: String?, device: String?)? {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == levels.count else { return nil }
        var station: String?
        var device: String?
        for (level, part) in zip(levels, parts) {
            switch level {
            case .literal(let word): guard part == word else { return nil }
            case .station: station = String(part)
            case .device: device = String(part)
            }
        }
        return (station, device)
    }

    /// The MQTT filter that subscribes to it, for one station or (nil) every station.
    public func filter(station: String?) -> String {
        levels.map { level in
            switch level {
            case .literal(let word): word
            case .station: station ?? "+"
            case .device: "+"
            }
        }.joined(separator: "/")
    }
}
