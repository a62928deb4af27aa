import CaregateTesting
import Foundation
import Testing

/// An operator looking at a busy station box (`top -H`, `perf top`, `ps -L`) sees which of the
/// gateway's threads is busy: the network thread, the store's writer, or the timers.
@Suite struct ThreadNameTests {
    @Test func theGatewaysThreadsCarryTheirNames() throws {
        let station = try Station()
        let gateway = try station.startGateway()
        let pid = gateway.process.processIdentifier
        let task = "/proc/\(pid)/task"
        // The writer names itself as it starts; the other two already have (they connected and tick).
        var names: [String] = []
        let named = Waiting.until(timeoutSeconds: 10) {
            names = ((try? FileManager.default.contentsOfDirectory(atPath: task)) ?? []).compactMap {
                (try? String(contentsOfFile: "\(task)/\($0)/comm", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return ["caregate-mqtt", "caregate-store", "caregate-ticker"].allSatisfy(names.contains)
        }
        #expect(named, "threads of caregate run: \(names.sorted())")
        #expect(gateway.terminate() == 0)
    }
}
