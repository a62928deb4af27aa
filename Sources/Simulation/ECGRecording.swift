import Foundation

/// An ECG recording in the `sample,uv` CSV of `shared/data/ecg`, its rate from the `NAME.hz`
/// file beside it, the samples in the coarsest whole number of µV per step that keeps them exact.
public struct ECGRecording: Sendable, Equatable {
    public var hz: Int
    public var uvPerLSB: Int
    /// Samples in steps of `uvPerLSB` µV.
    public var samples: [Int16]

    public init(hz: Int, uvPerLSB: Int, samples: [Int16]) {
        self.hz = hz
        self.uvPerLSB = uvPerLSB
        self.samples = samples
    }

    /// Reads `path` and its `.hz` sibling; `hz` overrides the sibling.
    public static func load(csv path: String, hz: Int? = nil) throws(ScenarioError) -> ECGRecording {
        let rate: Int
        if let hz {
            rate = hz
        } else {
            let hzPath = (path as NSString).deletingPathExtension + ".hz"
            guard let text = try? String(contentsOfFile: hzPath, encoding: .utf8),
                  let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ScenarioError(file: path, line: 0, "no sample rate: expected \(hzPath) holding one integer, or give --hz")
            }
            rate = value
        }
        guard (50...1000).contains(rate) else {
            throw ScenarioError(file: path, line: 0, "\(rate) Hz is outside the 50–1000 Hz an ECG message may carry (PROTOCOL.md §1)")
        }
        var values: [Int] = []
        try CSVLines.read(path, header: ["sample", "uv"]) { (fields, line) throws(ScenarioError) in
            guard let uv = Int(fields[1]) else { throw ScenarioError(file: path, line: line, "uv '\(fields[1])' is not a whole number") }
            values.append(uv)
        }
        guard !values.isEmpty else { throw ScenarioError(file: path, line: 0, "the recording has no samples") }
        // The largest step that divides every sample, at most 5 µV (MIT-BIH's), keeps it exact.
        let step = [5, 4, 3, 2, 1].first { s in values.allSatisfy { $0 % s == 0 } } ?? 1
        var samples: [Int16] = []
        samples.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard let s = Int16(exactly: v / step) else {
                throw ScenarioError(file: path, line: i + 2, "\(v) µV does not fit a 16-bit sample of \(step) µV")
            }
            samples.append(s)
        }
        return ECGRecording(hz: rate, uvPerLSB: step, samples: samples)
    }
}

/// Lines of a small CSV file with a known header (no quoting: the shared data has none).
enum CSVLines {
    /// Calls `row` with the fields of every line after the header, which must begin with `header`.
    static func read(_ path: String, header: [String], _ row: ([Substring], Int) throws(ScenarioError) -> Void) throws(ScenarioError) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ScenarioError(file: path, line: 0, "cannot read the file")
        }
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            if lineNumber == 1 {
                guard fields.count >= header.count, zip(fields, header).allSatisfy({ $0 == $1 }) else {
                    throw ScenarioError(file: path, line: 1, "expected the header \(header.joined(separator: ",")), found \(trimmed)")
                }
                continue
            }
            guard fields.count >= header.count else {
                throw ScenarioError(file: path, line: lineNumber, "expected \(header.count) fields or more, found \(fields.count)")
            }
            try row(fields, lineNumber)
        }
    }
}
