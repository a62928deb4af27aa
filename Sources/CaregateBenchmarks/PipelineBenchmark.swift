import Foundation
import Gateway
import Logging
import MQTT
import Storage

/// The gateway's own work per message, without the broker's delivery: decode, engine, spool, and the writer
/// committing to SQLite, driven through `Gateway.ingest` on one thread as libmosquitto would.
/// CPU is the whole process (both threads) over the messages.
enum PipelineBenchmark {
    static func run(messages n: Int, devices: Int) throws {
        let dir = NSTemporaryDirectory() + "caregate-pipeline-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = Configuration(stations: ["st01"])
        config.databasePath = dir + "/pipeline.db"
        // Alert events go to a real broker, as they would in service.
        let broker = try LocalBroker(directory: dir + "/broker")
        defer { broker.stop() }
        config.broker = broker.url
        if let ms = ProcessInfo.processInfo.environment["COMMIT_MS"].flatMap(Int.init) { config.writer.commitIntervalMillis = ms }
        if let rows = ProcessInfo.processInfo.environment["BATCH_ROWS"].flatMap(Int.init) { config.writer.batchRows = rows }
        // A station that keeps a registry: every device registered and assigned.
        var traffic = StationTraffic(devices: devices)
        _ = try RegistryStore(path: config.databasePath).apply(traffic.registry(), now: traffic.t0)
        // Its pages checkpointed now, not by the writer's first commits while timed.
        try Database(path: config.databasePath).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let gateway = try Gateway(configuration: config, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        try gateway.start()
        defer { gateway.stop() }
        let messages = (0..<n).map { traffic.next($0) }
        let before = processCPUSeconds()
        let start = nanos()
        for m in messages {
            m.payload.withUnsafeBytes { gateway.ingest(topic: m.topic, payload: $0) }
        }
        let handled = nanos()
        gateway.flush()
        let done = nanos()
        let cpu = processCPUSeconds() - before
        print("## pipeline: \(n) messages from \(devices) devices through decode, engine, spool and SQLite, injected without the broker (\(machineDescription()))")
        print("handled \(format(Double(handled - start) / Double(n), 0)) ns/msg on the callback thread; "
            + "all committed after \(format(Double(done - start) / 1e9)) s = \(format(Double(n) / (Double(done - start) / 1e9), 0)) msg/s; "
            + "CPU \(format(cpu / Double(n) * 1e6)) µs/msg")
    }
}
