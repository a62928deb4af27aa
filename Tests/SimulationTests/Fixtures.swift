import Foundation
import Simulation

/// Paths of the repository's own files, found from this source file.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let simulators = root + "/simulators"
    /// Copies of the shared recordings, in the repository so that a clean clone has them.
    static let recordings = root + "/simulators/recordings"

    /// Every scenario shipped in `simulators/`.
    static var scenarios: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: simulators)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { simulators + "/" + $0 }
    }
}

/// A scenario written to a temporary file, for tests of what the parser makes of a text.
func scenarioFile(_ text: String, name: String = "test.yaml") -> String {
    let dir = NSTemporaryDirectory() + "caregate-sim-tests-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/\(UUID().uuidString.prefix(8))-" + name
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

/// A scenario from its text; a failure is the test's.
func scenario(_ text: String) throws -> Scenario {
    try Scenario.load(file: scenarioFile(text))
}

/// A small valid scenario with one cuff, to which tests add events.
func cuffScenario(events: String = "", extra: String = "") -> String {
    """
    scenario: a cuff
    station: st-test
    duration: 2h
    residents:
      - id: r-1
        devices:
          - id: bp-1
            stream: bp
            every: 10m
            heartbeat: 30m
            model:
              systolic: { baseline: 130, noise: 4 }
              diastolic: { baseline: 80, noise: 3 }
              pulse: { baseline: 70, noise: 2 }
              battery: { baseline: 90, drift: -1 }
    \(extra)
    events:
    \(events.isEmpty ? "  []" : events)
    """
}
