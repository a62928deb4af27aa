import CommandContract
import Foundation
import Simulation

/// Writes messages as a trace file (`Trace`).
enum TraceWriter {
    static func write(_ messages: [TimedMessage], qos: Int32, to path: String, recordedAt: Int64) throws {
        var text = Trace.header(recordedAt: recordedAt) + "\n"
        for m in messages where m.kind == .telemetry {
            m.payload.withUnsafeBytes { text += Trace.line(offset: m.offset, topic: m.topic, qos: qos, payload: $0) + "\n" }
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw Failure("caregate-sim: cannot write \(path)")
        }
    }
}
