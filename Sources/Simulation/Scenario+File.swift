import Foundation
import Telemetry
import Yams

extension Scenario {
    /// Reads and checks a scenario file; any error names the file, the line and the reason.
    public static func load(file path: String) throws(ScenarioError) -> Scenario {
        let (reader, root) = try YAMLReader.load(path, "the scenario")
        var parser = ScenarioParser(reader: reader)
        return try parser.scenario(root)
    }
}

/// Builds a `Scenario` from the nodes of its file.
struct ScenarioParser {
    let reader: YAMLReader
    var folder: String { (reader.path as NSString).deletingLastPathComponent }

    mutating func scenario(_ root: Node) throws(ScenarioError) -> Scenario {
        let r = reader
        var s = Scenario(file: r.path, title: "", station: "", durationMillis: 0, speed: 1, maxSpeed: nil, zoneOffsetMillis: 8 * 3_600_000,
                         qos: 1, residents: [], devices: [], events: [], expectations: [], failsOnUnexpected: true, gatewayRules: nil)
        var residentNodes: [Node] = []
        var populationNode: Node?
        var deviceNodes: [Node] = []
        var eventNodes: [Node] = []
        var expectNodes: [Node] = []
        try r.walk(root, [
            "scenario": { n throws(ScenarioError) in s.title = try r.string(n) },
            "station": { n throws(ScenarioError) in
                let id = try r.string(n)
                guard (1...32).contains(id.utf8.count), id.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }) else {
                    throw r.error(n, "station '\(id)': expected 1–32 of a-z, 0-9 and '-' (PROTOCOL.md §1)")
                }
                s.station = id
            },
            "duration": { n throws(ScenarioError) in s.durationMillis = try r.duration(n) },
            "speed": { n throws(ScenarioError) in s.speed = try Self.speed(n, r) },
            "max_speed": { n throws(ScenarioError) in s.maxSpeed = try Self.speed(n, r) },
            "timezone": { n throws(ScenarioError) in
                guard let offset = SimDuration.zoneOffset(try r.string(n)) else { throw r.error(n, "timezone: expected an offset such as +08:00") }
                s.zoneOffsetMillis = offset
            },
            "qos": { n throws(ScenarioError) in s.qos = Int32(try r.int(n, 0...1)) },
            "unexpected": { n throws(ScenarioError) in
                switch try r.string(n) {
                case "fail": s.failsOnUnexpected = true
                case "report": s.failsOnUnexpected = false
                default: throw r.error(n, "unexpected: expected fail or report")
                }
            },
            "gateway_rules": { n throws(ScenarioError) in s.gatewayRules = try r.string(n) },
            "residents": { n throws(ScenarioError) in
                guard let list = n.sequence else { throw r.error(n, "residents: expected a list") }
                residentNodes = Array(list)
            },
            "population": { n throws(ScenarioError) in populationNode = n },
            "devices": { n throws(ScenarioError) in
                guard let list = n.sequence else { throw r.error(n, "devices: expected a list") }
                deviceNodes = Array(list)
            },
            "events": { n throws(ScenarioError) in
                guard let list = n.sequence else { throw r.error(n, "events: expected a list") }
                eventNodes = Array(list)
            },
            "expect": { n throws(ScenarioError) in
                guard let list = n.sequence else { throw r.error(n, "expect: expected a list") }
                expectNodes = Array(list)
            },
        ])
        guard !s.title.isEmpty else { throw r.error(root, "missing 'scenario': one line saying what it shows") }
        guard !s.station.isEmpty else { throw r.error(root, "missing 'station'") }
        guard s.durationMillis > 0 else { throw r.error(root, "missing 'duration' (scenario time, e.g. 2h)") }
        if let max = s.maxSpeed, s.speed > max { s.speed = max }

        for node in residentNodes {
            try resident(node, into: &s, substitute: { $0 })
        }
        if let populationNode { try population(populationNode, into: &s) }
        for node in deviceNodes {
            s.devices.append(try device(node, resident: nil, substitute: { $0 }))
        }
        try checkUnique(s)
        for node in eventNodes { s.events.append(try event(node, s)) }
        s.events.sort { $0.at < $1.at }
        for node in expectNodes { s.expectations.append(try expectation(node, s)) }
        return s
    }

    static func speed(_ n: Node, _ r: YAMLReader) throws(ScenarioError) -> Double {
        let v = try r.number(n)
        guard v > 0, v <= 1_000_000 else { throw r.error(n, "speed: expected a number above 0 (1 is real time)") }
        return v
    }

    private func checkUnique(_ s: Scenario) throws(ScenarioError) {
        var seen = Set<String>()
        for d in s.devices {
            guard seen.insert(d.id).inserted else { throw ScenarioError(file: reader.path, line: d.line, "device '\(d.id)' is listed twice") }
            if let owner = d.resident, !s.residents.contains(where: { $0.id == owner }) {
                throw ScenarioError(file: reader.path, line: d.line, "device '\(d.id)': resident '\(owner)' is not among the residents")
            }
            for measured in d.measures where !s.residents.contains(where: { $0.id == measured }) {
                throw ScenarioError(file: reader.path, line: d.line, "device '\(d.id)': resident '\(measured)' is not among the residents")
            }
        }
        var residents = Set<String>()
        for r in s.residents where !residents.insert(r.id).inserted {
            throw ScenarioError(file: reader.path, line: 0, "resident '\(r.id)' is listed twice")
        }
    }

    /// `- id: r-0001` with `name` and the resident's own `devices`.
    private func resident(_ node: Node, into s: inout Scenario, substitute: @escaping (String) -> String) throws(ScenarioError) {
        let r = reader
        var id: String?
        var name: String?
        var devices: [Node] = []
        try r.walk(node, [
            "id": { n throws(ScenarioError) in id = substitute(try r.string(n)) },
            "name": { n throws(ScenarioError) in name = substitute(try r.string(n)) },
            "devices": { n throws(ScenarioError) in
                guard let list = n.sequence else { throw r.error(n, "devices: expected a list") }
                devices = Array(list)
            },
        ])
        guard let id else { throw r.error(node, "every resident needs an id") }
        try checkID(id, node, "resident")
        s.residents.append(SimResident(id: id, name: name))
        for d in devices { s.devices.append(try device(d, resident: id, substitute: substitute)) }
    }

    /// `population:` count residents made from one template, `{n}` their number.
    private func population(_ node: Node, into s: inout Scenario) throws(ScenarioError) {
        let r = reader
        var count = 0
        var template: Node?
        try r.walk(node, [
            "count": { n throws(ScenarioError) in count = try r.int(n, 1...100_000) },
            "resident": { n throws(ScenarioError) in template = n },
        ])
        guard count > 0, let template else { throw r.error(node, "population: needs count and a resident template") }
        let width = max(4, String(count).count)
        for n in 1...count {
            let number = String(n)
            let padded = String(repeating: "0", count: width - number.count) + number
            try resident(template, into: &s, substitute: { $0.replacingOccurrences(of: "{n}", with: padded) })
        }
    }

    private func checkID(_ id: String, _ node: Node, _ what: String) throws(ScenarioError) {
        guard (1...64).contains(id.utf8.count),
              id.utf8.allSatisfy({ $0 < 0x80 && (isalnum(Int32($0)) != 0 || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D) })
        else { throw reader.error(node, "\(what) '\(id)': expected 1–64 letters, digits, '.', '_' or '-'") }
    }

    private func device(_ node: Node, resident: String?, substitute: @escaping (String) -> String) throws(ScenarioError) -> SimDevice {
        let r = reader
        var d = SimDevice(id: "", stream: .status, profile: .canonical, schedule: nil, model: [:], heartbeat: nil, resident: resident,
                          measures: [], registered: true, recording: nil, chunk: 0, line: node.mark?.line ?? 0)
        var streamNode: Node?
        var recordingNode: Node?
        try r.walk(node, [
            "id": { n throws(ScenarioError) in
                d.id = substitute(try r.string(n))
                try checkID(d.id, n, "device")
                guard d.id != "alerts" else { throw r.error(n, "device id 'alerts' is reserved (PROTOCOL.md §1)") }
            },
            "stream": { n throws(ScenarioError) in
                guard let kind = StreamKind(name: try r.string(n)) else { throw r.error(n, "stream: expected bp, glucose, ecg, sos or status") }
                d.stream = kind
                streamNode = n
            },
            "profile": { n throws(ScenarioError) in
                guard let p = SimProfile(rawValue: try r.string(n)) else {
                    throw r.error(n, "profile: expected one of \(SimProfile.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                d.profile = p
            },
            "every": { n throws(ScenarioError) in
                let every = try r.duration(n)
                guard every >= 10 else { throw r.error(n, "every: at least 10ms") }
                if case .every(_, let phase)? = d.schedule { d.schedule = .every(every, phase: phase) } else { d.schedule = .every(every, phase: 0) }
            },
            "phase": { n throws(ScenarioError) in
                let phase = try r.duration(n)
                if case .every(let every, _)? = d.schedule { d.schedule = .every(every, phase: phase) } else { d.schedule = .every(0, phase: phase) }
            },
            "at": { n throws(ScenarioError) in
                var times: [Int64] = []
                for text in try r.strings(n) {
                    guard let t = SimDuration.timeOfDay(text) else { throw r.error(n, "at: expected times of day such as [\"08:00\", \"20:00\"]") }
                    times.append(t)
                }
                d.schedule = .daily(times.sorted())
            },
            "model": { n throws(ScenarioError) in
                guard let mapping = n.mapping else { throw r.error(n, "model: expected a measure for each of its values") }
                for (key, value) in mapping {
                    guard let name = key.string, let measure = Measure(rawValue: name) else {
                        throw r.error(key, "model: '\(key.string ?? "?")' is not a measure (systolic, diastolic, pulse, glucose, battery)")
                    }
                    d.model[measure] = try model(value)
                }
            },
            "heartbeat": { n throws(ScenarioError) in
                let every = try r.duration(n)
                guard every >= 10 else { throw r.error(n, "heartbeat: at least 10ms") }
                d.heartbeat = every
            },
            "residents": { n throws(ScenarioError) in d.measures = try r.strings(n).map(substitute) },
            "registered": { n throws(ScenarioError) in d.registered = try r.bool(n) },
            "recording": { n throws(ScenarioError) in recordingNode = n },
            "chunk": { n throws(ScenarioError) in d.chunk = try r.int(n, 1...2000) },
        ])
        guard !d.id.isEmpty else { throw r.error(node, "every device needs an id") }
        guard streamNode != nil else { throw r.error(node, "device '\(d.id)' needs a stream (bp, glucose, ecg, sos or status)") }
        guard d.profile.carries(d.stream) else {
            throw r.error(streamNode!, "device '\(d.id)': profile \(d.profile.rawValue) cannot carry the \(d.stream.name) stream")
        }
        if case .every(let every, _)? = d.schedule, every == 0 { throw r.error(node, "device '\(d.id)': phase without every") }
        if !d.measures.isEmpty {
            guard resident == nil else { throw r.error(node, "device '\(d.id)': a resident's own device does not list residents") }
            guard d.profile == .canonical else { throw r.error(node, "device '\(d.id)': only canonical payloads name the resident measured") }
        }
        switch d.stream {
        case .bp:
            for m in [Measure.systolic, .diastolic] where d.model[m] == nil {
                throw r.error(node, "device '\(d.id)': a bp device needs a model for \(m.rawValue)")
            }
        case .glucose:
            guard d.model[.glucose] != nil else { throw r.error(node, "device '\(d.id)': a glucose device needs a model for glucose") }
        case .ecg:
            guard let recordingNode else { throw r.error(node, "device '\(d.id)': an ecg device plays a recording (recording: FILE)") }
            let path = try r.string(recordingNode)
            let full = path.hasPrefix("/") ? path : folder + "/" + path
            do {
                d.recording = try ECGRecording.load(csv: full)
            } catch {
                throw r.error(recordingNode, "recording: \(error.description)")
            }
            if d.chunk == 0 { d.chunk = max(1, d.recording!.hz / 10) }
        case .sos, .status:
            break
        }
        if d.stream != .ecg, recordingNode != nil { throw r.error(recordingNode!, "recording: only an ecg device plays a recording") }
        if d.stream == .bp || d.stream == .glucose, d.schedule == nil {
            throw r.error(node, "device '\(d.id)' needs a schedule: every: DURATION or at: [TIMES OF DAY]")
        }
        if d.stream == .status, d.heartbeat == nil {
            throw r.error(node, "device '\(d.id)' sends only heartbeats: give heartbeat: DURATION")
        }
        return d
    }

    private func model(_ node: Node) throws(ScenarioError) -> MeasureModel {
        let r = reader
        if case .scalar = node { return MeasureModel(baseline: try r.number(node)) }
        var m = MeasureModel(baseline: .nan)
        try r.walk(node, [
            "baseline": { n throws(ScenarioError) in m.baseline = try r.number(n) },
            "noise": { n throws(ScenarioError) in m.noise = try nonNegative(n) },
            "circadian": { n throws(ScenarioError) in m.circadian = try nonNegative(n) },
            "peak": { n throws(ScenarioError) in
                guard let t = SimDuration.timeOfDay(try r.string(n)) else { throw r.error(n, "peak: expected a time of day such as 09:00") }
                m.peakHour = Double(t) / 3_600_000
            },
            "spread": { n throws(ScenarioError) in m.spread = try nonNegative(n) },
            "drift": { n throws(ScenarioError) in m.drift = try r.number(n) },
        ])
        guard !m.baseline.isNaN else { throw r.error(node, "a measure's model needs a baseline") }
        return m
    }

    private func nonNegative(_ n: Node) throws(ScenarioError) -> Double {
        let v = try reader.number(n)
        guard v >= 0 else { throw reader.error(n, "expected a number of 0 or more") }
        return v
    }

    func values(_ node: Node) throws(ScenarioError) -> [Measure: Double] {
        guard let mapping = node.mapping, !mapping.isEmpty else { throw reader.error(node, "expected measures and their values, e.g. {systolic: 192}") }
        var out: [Measure: Double] = [:]
        for (key, value) in mapping {
            guard let name = key.string, let measure = Measure(rawValue: name) else {
                throw reader.error(key, "'\(key.string ?? "?")' is not a measure (systolic, diastolic, pulse, glucose, battery)")
            }
            out[measure] = try reader.number(value)
        }
        return out
    }
}
