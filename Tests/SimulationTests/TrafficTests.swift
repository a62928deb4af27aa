import Foundation
import Testing
import Telemetry
@testable import Simulation

@Suite("Scenario traffic")
struct TrafficTests {
    static let start: Int64 = 1_764_000_000_000

    func json(_ m: TimedMessage) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(m.payload)) as? [String: Any]) ?? [:]
    }

    @Test("the same seed and start give byte-identical traffic; another seed other values")
    func deterministic() throws {
        for path in Repository.scenarios {
            let s = try Scenario.load(file: path)
            let a = ScenarioTraffic.generate(s, seed: 7, startMillis: Self.start)
            let b = ScenarioTraffic.generate(s, seed: 7, startMillis: Self.start)
            #expect(a.map(\.payload) == b.map(\.payload) && a.map(\.topic) == b.map(\.topic) && a.map(\.offset) == b.map(\.offset), "\(path)")
        }
        let s = try scenario(cuffScenario())
        let one = ScenarioTraffic.generate(s, seed: 1, startMillis: Self.start).map(\.payload)
        let two = ScenarioTraffic.generate(s, seed: 2, startMillis: Self.start).map(\.payload)
        #expect(one != two)
    }

    @Test("a device's schedule, heartbeats, seq and clock")
    func schedule() throws {
        let s = try scenario(cuffScenario())
        let messages = ScenarioTraffic.generate(s, seed: 1, startMillis: Self.start)
        let bp = messages.filter { $0.topic == "care/st-test/bp-1/bp" }
        #expect(bp.map(\.offset) == stride(from: 0, to: 7_200_000, by: 600_000).map { Int64($0) })
        #expect(bp.map { json($0)["seq"] as? Int } == Array(1...12))
        #expect(bp.map { (json($0)["ts"] as? NSNumber)?.int64Value } == bp.map { Self.start + $0.offset })
        let heartbeats = messages.filter { $0.topic.hasSuffix("/status") }
        #expect(heartbeats.count == 4)
        // The battery drains 1 % an hour from 90.
        #expect(heartbeats.compactMap { json($0)["battery"] as? Double }.allSatisfy { (88...90).contains($0) })
        #expect(messages.map(\.offset) == messages.map(\.offset).sorted())
    }

    @Test("set values are exact for their window; a ramp moves there and back")
    func setAndRamp() throws {
        let s = try scenario(cuffScenario(events: """
              - { at: 25m, device: bp-1, set: { systolic: 192, diastolic: 114 }, for: 16m }
              - { at: 60m, device: bp-1, ramp: { systolic: 170 }, over: 20m, hold: 10m }
            """))
        let bp = ScenarioTraffic.generate(s, seed: 1, startMillis: Self.start).filter { $0.topic.hasSuffix("/bp") }
        let values = Dictionary(uniqueKeysWithValues: bp.map { ($0.offset / 60_000, json($0)["systolic"] as! Double) })
        #expect(values[25] == 192 && values[30] == 192 && values[40] == 192)
        #expect(values[20]! < 150 && values[50]! < 150)
        // The ramp: part way at 70m, there at 80m and 90m (held), part way back at 100m.
        #expect(values[70]! > 140 && values[70]! < 165)
        #expect(abs(values[80]! - 170) <= 12 && abs(values[90]! - 170) <= 12)
        #expect(values[110]! < 145)
        // The extra measurement at 25m does not double the one the schedule takes at 30m.
        #expect(bp.count == 13)
    }

    @Test("silence, duplicates, out-of-order delivery, reboot and malformed messages")
    func faults() throws {
        let s = try scenario(cuffScenario(events: """
              - { at: 10m, device: bp-1, duplicate: true }
              - { at: 30m, device: bp-1, out_of_order: true }
              - { at: 55m, device: bp-1, silent: 20m }
              - { at: 85m, device: bp-1, reboot: true }
              - { at: 95m, device: bp-1, malformed: duplicate_key }
              - { at: 96m, device: bp-1, malformed: bad_topic }
            """))
        let messages = ScenarioTraffic.generate(s, seed: 1, startMillis: Self.start)
        let bp = messages.filter { $0.topic == "care/st-test/bp-1/bp" }
        let seqs = bp.map { json($0)["seq"] as? Int ?? -1 }
        // 10m sent twice; 30m and 40m swapped; 60m and 70m silent; seq 1 again from 90m.
        #expect(seqs.prefix(7) == [1, 2, 2, 3, 5, 4, 6])
        #expect(!bp.contains { (55 * 60_000..<75 * 60_000).contains($0.offset) })
        #expect(!messages.contains { $0.topic.hasSuffix("/status") && (55 * 60_000..<75 * 60_000).contains($0.offset) })
        let afterReboot = bp.filter { $0.offset >= 85 * 60_000 && json($0)["seq"] != nil }
        #expect(afterReboot.first.map { json($0)["seq"] as? Int } == 1)
        let ts = Self.start + 95 * 60_000
        #expect(messages.contains { $0.offset == 95 * 60_000 && String(decoding: $0.payload, as: UTF8.self).hasPrefix(#"{"ts":\#(ts),"ts":\#(ts),"#) })
        #expect(messages.contains { $0.topic == "care/st-test/bp-1/weather" })
    }

    @Test("a shared kiosk names its residents in turn")
    func kiosk() throws {
        let s = try Scenario.load(file: Repository.simulators + "/14-shared-kiosk.yaml")
        let readings = ScenarioTraffic.generate(s, seed: 1, startMillis: Self.start).filter { $0.topic.hasSuffix("/bp") }
        #expect(readings.prefix(4).map { json($0)["resident"] as? String } == ["r-1401", "r-1402", "r-1403", "r-1401"])
        let crisis = readings.first { $0.offset == 70 * 60_000 }.map(json)
        #expect(crisis?["resident"] as? String == "r-1402" && crisis?["systolic"] as? Double == 184)
    }

    @Test("twice-daily measurements fall at the station's local times")
    func daily() throws {
        let s = try scenario("""
            scenario: twice a day
            station: st01
            duration: 3d
            devices:
              - { id: bp-1, stream: bp, at: ["08:00", "20:00"], model: { systolic: 130, diastolic: 80 } }
            """)
        // 2025-11-24 16:00 UTC is midnight in +08:00.
        let midnight: Int64 = 1_764_000_000_000 - (1_764_000_000_000 % 86_400_000) - 8 * 3_600_000
        let messages = ScenarioTraffic.generate(s, seed: 1, startMillis: midnight)
        #expect(messages.map { $0.offset / 3_600_000 } == [8, 20, 32, 44, 56, 68])
    }

    @Test("a population's devices differ by their spread, the same for a seed")
    func population() throws {
        let s = try Scenario.load(file: Repository.simulators + "/20-station-day.yaml")
        #expect(s.residents.count == 502)
        let messages = ScenarioTraffic.generate(s, seed: 3, startMillis: Self.start)
        let first = messages.filter { $0.topic.hasSuffix("/bp") }.prefix(200).compactMap { json($0)["systolic"] as? Double }
        #expect(Set(first).count > 20)
    }
}
