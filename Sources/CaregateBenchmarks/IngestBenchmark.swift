import Foundation
import Gateway
import MQTT
import Storage

/// Sustained QoS 1 ingest, the gateway beside a bare libmosquitto subscriber (`mosquitto_sub`)
/// on the same broker, in one run; and beside both, a reader without libmosquitto
/// (`LeanSubscriber`), the floor of the receive path. Both have a persistent session holding the same N queued
/// messages; each is then started and timed until it has taken all N (the gateway: until all N
/// are committed to SQLite). CPU per message is the process's user + system time over N.
enum IngestBenchmark {
    static func run(messages n: Int, rounds: Int, leanLowWater: Int = 8_192) throws {
        print("## ingest: \(n) queued QoS 1 messages from 1,000 devices, drained by each subscriber (\(machineDescription()))")
        let dir = NSTemporaryDirectory() + "caregate-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let broker = try LocalBroker(directory: dir + "/broker")
        defer { broker.stop() }
        let filter = "care/st01/+/+"

        // Create both persistent sessions, then leave them offline.
        _ = try runToEnd("/usr/bin/mosquitto_sub", ["-h", "127.0.0.1", "-p", "\(broker.port)", "-q", "1", "-c", "-i", "bench-bare", "-t", filter, "-E"])
        // And the session of the reader without libmosquitto, the receive path's floor.
        try LeanSubscriber(host: broker.url.host, port: broker.url.port, clientID: "bench-lean").subscribe(filter)
        var traffic = StationTraffic(devices: 1_000)
        var published = 0
        // Each round's ratio, start to end and steady; the machine's load moves both sides from
        // round to round, so the verdict is the median of several.
        var ratios: [(startToEnd: Double, steady: Double)] = []
        var cpu: [(bare: Double, lean: Double, gateway: Double)] = []
        for round in 1...max(1, rounds) {
            let db = "\(dir)/round\(round).db"
            // A station that keeps a registry, as the pipeline and latency benchmarks: without it
            // every device's first reading raises device.unregistered, a thousand alerts in the
            // first second of the drain that a station never sees.
            _ = try RegistryStore(path: db).apply(traffic.registry(), now: traffic.t0)
            try Database(path: db).execute("PRAGMA wal_checkpoint(TRUNCATE)")
            // Let the gateway connect and subscribe once, so the broker queues for its session.
            let gateway = try startGateway(broker: broker, db: db, dir: dir)
            let log = dir + "/gateway.log"
            for _ in 0..<500 where !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("connected to") { usleep(10_000) }
            usleep(300_000)
            ChildProcess.stop(gateway)

            // The lean publisher: a libmosquitto client with no in-flight limit scans its whole
            // list of unacknowledged messages on every publish and every PUBACK, which with
            // 200,000 in flight took minutes and once lost the connection to the keep-alive.
            var publisher = try LeanPublisher(host: broker.url.host, port: broker.url.port, clientID: "bench-pub")
            let publishStart = nanos()
            for i in 0..<n {
                let m = traffic.next(published)
                published += 1
                publisher.queue(topic: m.topic, payload: m.payload)
                if i % 1_000 == 999 { try publisher.flush() }
            }
            try publisher.flush()
            guard publisher.waitUntilAcknowledged(n, timeoutSeconds: 120) else { throw BenchmarkError.undelivered }
            let publishSeconds = Double(nanos() - publishStart) / 1e9

            // The bare subscriber.
            var before = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &before)
            let bareStart = nanos()
            _ = try runToEnd("/usr/bin/mosquitto_sub", ["-h", "127.0.0.1", "-p", "\(broker.port)", "-q", "1", "-c", "-i", "bench-bare", "-t", filter, "-C", "\(n)"])
            let bareSeconds = Double(nanos() - bareStart) / 1e9
            var after = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &after)
            let bareCPU = seconds(after.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_utime) - seconds(before.ru_stime)

            // The lean reader, in this process: its thread's CPU time. 8 KiB is about 60 of these
            // messages, below the 100 the broker sends unacknowledged.
            let leanStart = nanos()
            let leanCPUStart = threadCPUSeconds()
            guard try LeanSubscriber(host: broker.url.host, port: broker.url.port, clientID: "bench-lean")
                .drain(n, lowWater: Int32(leanLowWater)) else { throw BenchmarkError.undelivered }
            let leanCPU = threadCPUSeconds() - leanCPUStart
            let leanSeconds = Double(nanos() - leanStart) / 1e9

            // The gateway, storing every message. The stored count changes only when the writer
            // commits; polling it more often than every 20 ms would only take CPU from the gateway.
            // A nurse watches the alerts the drain raises.
            let nurse = try AlertWatch(broker: broker.url, filter: "care/st01/alerts")
            let gatewayStart = nanos()
            let running = try startGateway(broker: broker, db: db, dir: dir)
            let counter = try RowCounter(path: db)
            var stored = 0
            var tenth: (at: UInt64, count: Int)?
            var ninth: (at: UInt64, count: Int)?
            while stored < n {
                usleep(20_000)
                stored = counter.count()
                let now = nanos()
                if tenth == nil, stored >= n / 10 { tenth = (now, stored) }
                if ninth == nil, stored >= n * 9 / 10 { ninth = (now, stored) }
                if now - gatewayStart > 300_000_000_000 { break }
            }
            let gatewaySeconds = Double(nanos() - gatewayStart) / 1e9
            let gatewayCPU = cpuSeconds(pid: running.processIdentifier)
            // Those raised late in the drain are on their way.
            usleep(500_000)
            let alertDelays = nurse.take()
            ChildProcess.stop(running)

            let bareRate = Double(n) / bareSeconds
            let gatewayRate = Double(stored) / gatewaySeconds
            // The steady rate, from a tenth to nine tenths stored: without the start (a process,
            // a connection) and the last commit's wait (up to the commit interval, 1 s).
            let steadyRate = tenth.flatMap { t in ninth.map { Double($0.count - t.count) / (Double($0.at - t.at) / 1e9) } } ?? 0
            print("round \(round): published \(n) in \(format(publishSeconds)) s; "
                + "mosquitto_sub \(format(bareRate, 0)) msg/s (\(format(bareCPU / Double(n) * 1e6)) µs CPU/msg); "
                + "lean reader (low water \(leanLowWater) B) \(format(Double(n) / leanSeconds, 0)) msg/s (\(format(leanCPU / Double(n) * 1e6)) µs CPU/msg); "
                + "caregate \(format(gatewayRate, 0)) msg/s stored start to end, \(format(steadyRate, 0)) msg/s steady "
                + "(\(format(gatewayCPU / Double(n) * 1e6)) µs CPU/msg); "
                + "ratio \(format(gatewayRate / bareRate * 100, 1)) % start to end, \(format(steadyRate / bareRate * 100, 1)) % steady; "
                + AlertWatch.summary(alertDelays))
            ratios.append((gatewayRate / bareRate * 100, steadyRate / bareRate * 100))
            cpu.append((bareCPU / Double(n) * 1e6, leanCPU / Double(n) * 1e6, gatewayCPU / Double(n) * 1e6))
        }
        print("median of \(ratios.count) rounds: ratio \(format(median(ratios.map(\.startToEnd)), 1)) % start to end, "
            + "\(format(median(ratios.map(\.steady)), 1)) % steady; CPU µs/msg mosquitto_sub \(format(median(cpu.map(\.bare)))), "
            + "lean reader \(format(median(cpu.map(\.lean)))), "
            + "caregate \(format(median(cpu.map(\.gateway))))")
    }

    static func startGateway(broker: LocalBroker, db: String, dir: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sibling("caregate"))
        process.arguments = ["run", "--station", "st01", "--mqtt-url", broker.url.description, "--db", db, "--client-id", "bench-gw"]
            + (ProcessInfo.processInfo.environment["CAREGATE_CONFIG"].map { ["--config", $0] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        let log = dir + "/gateway.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try ChildProcess.run(process)
        return process
    }

    static func runToEnd(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try ChildProcess.run(process)
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
}

/// Counts stored readings of every stream.
final class RowCounter {
    private var statement: Statement?
    private let path: String
    private var db: Database?

    init(path: String) throws { self.path = path }

    func count() -> Int {
        if statement == nil {
            guard FileManager.default.fileExists(atPath: path), let db = try? Database(path: path, readOnly: true),
                  let s = try? db.prepare("SELECT (SELECT count(*) FROM bp_readings) + (SELECT count(*) FROM glucose_readings) + (SELECT count(*) FROM status_reports)")
            else { return 0 }
            self.db = db
            statement = s
        }
        guard let s = statement else { return 0 }
        s.reset()
        guard (try? s.step()) == true else { return 0 }
        return Int(s.int64(0))
    }
}
