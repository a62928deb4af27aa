@testable import AlertEngine
import Telemetry
import Testing

/// The engine's hash table from device and stream to series: every key found again through
/// collisions and growth, and never another key's index.
@Suite struct IndexTableTests {
    @Test func everyKeyIsFoundAgainThroughCollisionsAndGrowth() {
        var table = IndexTable()
        // Keys 0..<5000; hashes collide in groups of 7 and share their low bits widely.
        let keys = Array(0..<5_000)
        func hash(_ key: Int) -> UInt32 { UInt32(key / 7) &* 64 }
        for key in keys { table.insert(hash(key), Int32(key)) }
        #expect(table.count == 5_000)
        for key in keys {
            #expect(table.find(hash(key), where: { $0 == Int32(key) }) == Int32(key))
        }
        #expect(table.find(hash(5_000), where: { $0 == 5_000 }) == nil)
        #expect(table.find(hash(3), where: { _ in false }) == nil)
    }

    @Test func theEngineKeepsTwoStreamsAndTwoStationsOfOneDeviceIdApart() {
        var engine = AlertEngine()
        let a = DeviceAddress(station: "st01", device: "bp-7")
        let b = DeviceAddress(station: "st02", device: "bp-7")
        for (i, source) in [a, b, a, b].enumerated() {
            _ = engine.ingest(Reading(source: source, ts: 1_000 + Int64(i), seq: 1,
                                      value: .bloodPressure(BloodPressure(systolic: 120, diastolic: 80))), now: 1_000)
            _ = engine.ingest(Reading(source: source, ts: 1_000 + Int64(i), seq: 1,
                                      value: .status(DeviceStatus(battery: 90))), now: 1_000)
        }
        // Four series over two devices; the second reading of each series is a duplicate of seq 1.
        #expect(engine.series.count == 4 && engine.devices.count == 2)
        #expect(engine.findSeries(a, .bp) != engine.findSeries(b, .bp))
        #expect(engine.findSeries(a, .bp) != engine.findSeries(a, .status))
        #expect(engine.findSeries(DeviceAddress(station: "st03", device: "bp-7"), .bp) == nil)
    }
}
