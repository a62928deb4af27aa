import CaregateTesting
import Foundation
import Gateway
import MQTT
import Storage
import Telemetry

/// One test's world: its own mosquitto on a free loopback port, a temporary folder with the
/// database, and the real `caregate` binary.
final class Station: @unchecked Sendable {
    let folder = TemporaryDirectory()
    var broker: LocalBroker
    var gateway: RunningGateway?
    var db: String { folder.file("caregate.db") }
    let clientID = "caregate-test-\(UUID().uuidString.prefix(6))"

    init(brokerConfig: String = "", anonymous: Bool = true) throws {
        broker = try LocalBroker(directory: folder.file("broker"), extraConfig: brokerConfig, anonymous: anonymous)
    }

    deinit {
        gateway?.crash()
        broker.stop()
    }

    /// Starts `caregate run` for station st01 and waits until it has connected.
    @discardableResult
    func startGateway(config: String? = nil, extra: [String] = [], waitForConnection: Bool = true) throws -> RunningGateway {
        var arguments = ["--db", db, "--client-id", clientID] + extra
        if !extra.contains("--mqtt-url") { arguments += ["--mqtt-url", broker.url.description] }
        if let config {
            let path = folder.file("caregate-\(UUID().uuidString.prefix(4)).yaml")
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            arguments += ["--config", path]
        } else if !extra.contains("--station") {
            arguments += ["--station", "st01"]
        }
        let gateway = try RunningGateway(arguments, logPath: folder.file("gateway-\(UUID().uuidString.prefix(4)).log"))
        self.gateway = gateway
        if waitForConnection && !gateway.waitForLog("subscribed to") {
            throw LocalTestError("the gateway did not connect: \(gateway.log)")
        }
        return gateway
    }

    /// Registers these devices of st01, as `caregate devices register` does: the station keeps a
    /// registry, and they raise no `device.unregistered`. Call before the gateway starts.
    func register(_ devices: String...) throws {
        let store = try RegistryStore(path: db)
        for device in devices {
            try store.register(RegisteredDevice(address: DeviceAddress(station: "st01", device: device)), now: t0)
        }
    }

    /// Restarts the broker on the same port (its in-memory sessions are lost, as after a reboot).
    func restartBroker() throws {
        broker.stop()
        broker = try LocalBroker(directory: folder.file("broker"), port: broker.port)
    }

    /// Waits until `count` readings of `device` are stored; returns them.
    @discardableResult
    func waitForReadings(device: String, count: Int, timeoutSeconds: Double = 15) -> [StoredReading] {
        var rows: [StoredReading] = []
        Waiting.until(timeoutSeconds: timeoutSeconds) {
            rows = (try? StoreReader(path: db).readings(device: device)) ?? []
            return rows.count >= count
        }
        return rows
    }

    /// Waits until `count` messages are quarantined.
    @discardableResult
    func waitForRejections(count: Int, timeoutSeconds: Double = 15) -> [StoredRejection] {
        var rows: [StoredRejection] = []
        Waiting.until(timeoutSeconds: timeoutSeconds) {
            rows = (try? StoreReader(path: db).rejections()) ?? []
            return rows.count >= count
        }
        return rows
    }

    /// The rows of a query of three columns on this station's database, `a|b|c` each.
    func rows(_ sql: String) throws -> [String] {
        let database = try Database(path: db, readOnly: true)
        let s = try database.prepare(sql)
        var rows: [String] = []
        while try s.step() { rows.append((0..<3).map { s.string(Int32($0)) ?? "" }.joined(separator: "|")) }
        return rows
    }

    /// `caregate query ...` against this station's database.
    func query(_ arguments: [String]) throws -> CaregateBinary.Result {
        try CaregateBinary.run(["query"] + arguments + ["--db", db])
    }
}

/// A canonical payload.
func payload(ts: Int64, seq: Int64, _ fields: String) -> String {
    "{\"ts\":\(ts),\"seq\":\(seq)\(fields.isEmpty ? "" : ",")\(fields)}"
}

let t0: Int64 = 1_732_262_400_000
