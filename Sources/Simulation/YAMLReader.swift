import Foundation
import Yams

/// Typed values out of the YAML nodes of one file, every error with its file and line.
struct YAMLReader {
    var path: String
    typealias Handler = (Node) throws(ScenarioError) -> Void

    /// The document of the file at `path`.
    static func load(_ path: String, _ what: String) throws(ScenarioError) -> (YAMLReader, Node) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError(file: path, line: 0, "cannot read \(what): \(error.localizedDescription)")
        }
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ScenarioError(file: path, line: 0, "\(what) is empty") }
            return (YAMLReader(path: path), node)
        } catch let error as ScenarioError {
            throw error
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw ScenarioError(file: path, line: mark.line, "not valid YAML: \(problem)")
            default:
                throw ScenarioError(file: path, line: 0, "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
            }
        } catch {
            throw ScenarioError(file: path, line: 0, "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
    }

    func error(_ node: Node, _ message: String) -> ScenarioError {
        ScenarioError(file: path, line: node.mark?.line ?? 0, message)
    }

    /// Calls the handler of each key of a mapping; an unknown key is an error.
    func walk(_ node: Node, _ handlers: [String: Handler]) throws(ScenarioError) {
        guard let mapping = node.mapping else { throw error(node, "expected a mapping of keys to values") }
        for (key, value) in mapping {
            guard let name = key.string, let handler = handlers[name] else {
                throw error(key, "unknown key '\(key.string ?? "?")'; known keys here: \(handlers.keys.sorted().joined(separator: ", "))")
            }
            try handler(value)
        }
    }

    func string(_ node: Node) throws(ScenarioError) -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw error(node, "expected a value") }
        return s.string
    }

    /// One string or a list of them.
    func strings(_ node: Node) throws(ScenarioError) -> [String] {
        if let list = node.sequence {
            var out: [String] = []
            for item in list { out.append(try string(item)) }
            return out
        }
        return [try string(node)]
    }

    func int(_ node: Node, _ range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        guard let i = node.int, range.contains(i) else {
            throw error(node, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return i
    }

    func number(_ node: Node) throws(ScenarioError) -> Double {
        guard case .scalar = node, let d = node.float, d.isFinite else { throw error(node, "expected a number") }
        return d
    }

    func bool(_ node: Node) throws(ScenarioError) -> Bool {
        guard let b = node.bool else { throw error(node, "expected true or false") }
        return b
    }

    func duration(_ node: Node) throws(ScenarioError) -> Int64 {
        guard let millis = SimDuration.parse(try string(node)) else {
            throw error(node, "expected a duration like 90s, 15m, 2h or 1d")
        }
        return millis
    }

    func id(_ node: Node, _ what: String) throws(ScenarioError) -> String {
        let text = try string(node)
        guard (1...64).contains(text.utf8.count),
              text.utf8.allSatisfy({ $0 < 0x80 && (isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")) })
        else { throw error(node, "\(what) '\(text)': expected 1–64 letters, digits, '.', '_' or '-'") }
        return text
    }
}
