import Foundation
import Simulation

/// The annotated and plain recordings of `simulators/recordings`, with their reference beats.
enum Recordings {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("simulators/recordings").path

    struct Annotated {
        var name: String
        var recording: ECGRecording
        /// Reference beat times, ms from the first sample.
        var reference: [Int64]
    }

    static func load(_ name: String) throws -> ECGRecording {
        try ECGRecording.load(csv: folder + "/" + name + ".csv")
    }

    /// The `t_ms` column of a reference file.
    static func referenceTimes(_ file: String) throws -> [Int64] {
        let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in Int64(line.split(separator: ",")[1]) }
    }

    /// MIT-BIH 100 with its expert annotations; the PLUX rest recording with its R-peak marks.
    static func annotated() throws -> [Annotated] {
        [
            Annotated(name: "mitdb100 (MIT-BIH 100, 360 Hz, expert annotations)", recording: try load("ecg_mitdb100_1370-1670s_360hz"),
                      reference: try referenceTimes("ecg_mitdb100_1370-1670s_360hz_annotations.csv")),
            Annotated(name: "bsnb rest 120 s (1000 Hz, OpenSignals R-peak marks)", recording: try load("ecg_bsnb_rest_120s_1000hz"),
                      reference: try referenceTimes("ecg_bsnb_rest_120s_1000hz_rpeaks.csv")),
        ]
    }

    /// The recordings without reference beats.
    static let plain = ["ecg_bsnb_rest_20s_1000hz", "ecg_bsnb_rest_20s_100hz", "ecg_pyhrv_bitalino_22s_1000hz"]
}
