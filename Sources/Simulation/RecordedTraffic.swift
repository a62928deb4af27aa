import Foundation
import Telemetry

/// The recordings of `shared/data` as the traffic of one device, at their own rates.
public enum RecordedTraffic {
    /// What to replay a recording as.
    public struct Options: Sendable {
        public var station: String
        public var device: String?
        public var profile: SimProfile
        /// ECG: samples a message (default a tenth of a second's worth) and a rate overriding the `.hz` file.
        public var chunk: Int?
        public var hz: Int?
        /// BP survey: time between two people measured at the kiosk.
        public var interval: Int64
        public var zoneOffsetMillis: Int64

        public init(station: String, device: String? = nil, profile: SimProfile = .canonical, chunk: Int? = nil, hz: Int? = nil,
                    interval: Int64 = 60_000, zoneOffsetMillis: Int64 = 8 * 3_600_000) {
            self.station = station
            self.device = device
            self.profile = profile
            self.chunk = chunk
            self.hz = hz
            self.interval = interval
            self.zoneOffsetMillis = zoneOffsetMillis
        }
    }

    /// The messages of the CSV at `path`, recognised by its header: an ECG (`sample,uv`), a
    /// glucose trace (`t_ms,mg_dl`) or a blood pressure survey (`subject_id,…,systolic_mmhg,diastolic_mmhg`).
    public static func load(_ path: String, _ options: Options, startMillis: Int64) throws(ScenarioError) -> [TimedMessage] {
        guard let firstLine = (try? String(contentsOfFile: path, encoding: .utf8))?.prefix(while: { $0 != "\n" && $0 != "\r" }) else {
            throw ScenarioError(file: path, line: 0, "cannot read the recording")
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if firstLine.hasPrefix("sample,uv") {
            return try ecg(path, options, name: name, startMillis: startMillis)
        } else if firstLine.hasPrefix("t_ms,mg_dl") {
            return try glucose(path, options, name: name, startMillis: startMillis)
        } else if firstLine.hasPrefix("subject_id,"), firstLine.contains("systolic_mmhg") {
            return try survey(path, options, startMillis: startMillis)
        }
        throw ScenarioError(file: path, line: 1, "not a recording caregate-sim knows: expected the header sample,uv (ECG), t_ms,mg_dl (glucose) or subject_id,…,systolic_mmhg,diastolic_mmhg (BP survey)")
    }

    /// A device id from a file name: `ecg_mitdb100_…` gives `ecg-mitdb100-…`.
    static func deviceID(_ name: String, kind: String) -> String {
        let id = name.replacingOccurrences(of: "_", with: "-")
        return String((id.hasPrefix(kind) ? id : kind + "-" + id).prefix(64))
    }

    private static func ecg(_ path: String, _ options: Options, name: String, startMillis: Int64) throws(ScenarioError) -> [TimedMessage] {
        guard options.profile == .canonical || options.profile == .polarPMD else {
            throw ScenarioError(file: path, line: 0, "an ECG travels as canonical or polar-pmd, not \(options.profile.rawValue)")
        }
        let recording = try ECGRecording.load(csv: path, hz: options.hz)
        let chunk = options.chunk ?? max(1, recording.hz / 10)
        let device = options.device ?? deviceID(name, kind: "ecg")
        var out: [TimedMessage] = []
        var seq: Int64 = 0
        for start in stride(from: 0, to: recording.samples.count, by: chunk) {
            seq += 1
            let offset = Int64(start) * 1000 / Int64(recording.hz)
            var r = SimReading(device: device, stream: .ecg, ts: startMillis + offset, seq: seq)
            r.hz = recording.hz
            r.uvPerLSB = recording.uvPerLSB
            r.samples = recording.samples[start..<min(start + chunk, recording.samples.count)]
            let (topic, payload) = WireFormat.encode(r, station: options.station, profile: options.profile, zoneOffsetMillis: options.zoneOffsetMillis)
            out.append(TimedMessage(offset: offset, topic: topic, payload: payload, device: device))
        }
        return out
    }

    private static func glucose(_ path: String, _ options: Options, name: String, startMillis: Int64) throws(ScenarioError) -> [TimedMessage] {
        guard options.profile.carries(.glucose) else { throw ScenarioError(file: path, line: 0, "\(options.profile.rawValue) cannot carry glucose") }
        let device = options.device ?? deviceID(name, kind: "cgm")
        var out: [TimedMessage] = []
        var seq: Int64 = 0
        var last: Int64 = -1
        try CSVLines.read(path, header: ["t_ms", "mg_dl"]) { (fields, line) throws(ScenarioError) in
            guard let t = Int64(fields[0]), t > last else { throw ScenarioError(file: path, line: line, "t_ms '\(fields[0])': expected ms, increasing") }
            guard let mgdl = Double(fields[1]), mgdl.isFinite else { throw ScenarioError(file: path, line: line, "mg_dl '\(fields[1])' is not a number") }
            last = t
            seq += 1
            var r = SimReading(device: device, stream: .glucose, ts: startMillis + t, seq: seq)
            r.values[.glucose] = mgdl.rounded()
            let (topic, payload) = WireFormat.encode(r, station: options.station, profile: options.profile, zoneOffsetMillis: options.zoneOffsetMillis)
            out.append(TimedMessage(offset: t, topic: topic, payload: payload, device: device))
        }
        return out
    }

    /// A survey measured each person once: replayed as a community kiosk measuring one person
    /// an interval, each reading naming its resident (`nhefs-{subject_id}`).
    private static func survey(_ path: String, _ options: Options, startMillis: Int64) throws(ScenarioError) -> [TimedMessage] {
        guard options.profile == .canonical else { throw ScenarioError(file: path, line: 0, "a kiosk names its resident only in canonical payloads") }
        let device = options.device ?? "kiosk-survey"
        var out: [TimedMessage] = []
        var seq: Int64 = 0
        var columns: (id: Int, systolic: Int, diastolic: Int)?
        let header = (try? String(contentsOfFile: path, encoding: .utf8))?.prefix(while: { $0 != "\n" }).split(separator: ",").map(String.init) ?? []
        if let s = header.firstIndex(of: "systolic_mmhg"), let d = header.firstIndex(of: "diastolic_mmhg") { columns = (0, s, d) }
        guard let columns else { throw ScenarioError(file: path, line: 1, "expected systolic_mmhg and diastolic_mmhg columns") }
        try CSVLines.read(path, header: ["subject_id"]) { (fields, line) throws(ScenarioError) in
            guard fields.count > max(columns.systolic, columns.diastolic) else { throw ScenarioError(file: path, line: line, "too few fields") }
            guard let systolic = Double(fields[columns.systolic]), let diastolic = Double(fields[columns.diastolic]) else {
                throw ScenarioError(file: path, line: line, "systolic and diastolic must be numbers")
            }
            let offset = seq * options.interval
            seq += 1
            var r = SimReading(device: device, stream: .bp, ts: startMillis + offset, seq: seq)
            r.values = [.systolic: systolic, .diastolic: diastolic]
            r.resident = "nhefs-" + fields[columns.id]
            out.append(TimedMessage(offset: offset, topic: "care/\(options.station)/\(device)/bp", payload: WireFormat.canonical(r), device: device))
        }
        return out
    }
}
