import AlertEngine
import Storage
import Telemetry

/// Rebuilds the engine from the store at start: per-stream state from each series' recent
/// readings, the open alerts from their events, the silent-device clocks from when each device
/// was last heard. Runs after the spool's replay, so it sees everything acknowledged earlier.
enum EngineRestore {
    static func restore(_ engine: inout AlertEngine, from path: String) throws -> (alerts: Int, devices: Int) {
        let reader = try StoreReader(path: path)
        let families = engine.rules.families
        let count = max(8, families.compactMap { $0.delay?.readings }.max() ?? 0)
        let window = max(families.compactMap(\.rateWindowMillis).max() ?? 0, families.compactMap { $0.delay?.millis }.max() ?? 0)
        for reading in try reader.recentReadings(count: count, windowMillis: window) {
            engine.warm(reading)
        }
        let histories = try reader.openAlertHistories()
        for history in histories {
            engine.restore(history: history)
        }
        for device in try reader.unregisteredDevices() {
            engine.restoreUnregistered(device.source, stream: device.stream)
        }
        let heard = try reader.lastHeard()
        for device in heard {
            engine.restoreHeard(device.source, stream: device.stream, at: device.at)
        }
        return (histories.count, Set(heard.map(\.source)).count)
    }
}
