import ArgumentParser
import CommandContract
import DeviceProfiles
import Foundation
import Gateway
import Storage
import Telemetry

/// Where `caregate residents` and `caregate devices` find the database: `--db`, or the gateway's config file.
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: "The gateway's config file, for its database and rules file.") var config: String?
    @Option(name: .long, help: "SQLite database file (overrides the config file; default /var/lib/caregate/caregate.db).") var db: String?

    func configuration() throws -> Configuration {
        try Configuration.resolve(config: config, mqttURL: nil, db: db)
    }

    /// The registry's store, created with the database if there is none yet.
    func openStore() throws -> RegistryStore {
        let path = try configuration().databasePath
        do {
            return try RegistryStore(path: path)
        } catch {
            throw Failure("caregate: cannot open \(path): \(error)")
        }
    }

    /// The registry as stored.
    func registry() throws -> Registry {
        try load(try openStore())
    }

    /// The registry as `store` holds it.
    func load(_ store: RegistryStore) throws -> Registry {
        do {
            return try store.load()
        } catch {
            throw Failure("caregate: cannot read the registry: \(error)")
        }
    }
}

/// How the registry commands name a device: `STATION/DEVICE`, or `DEVICE` with `--station`, or
/// `DEVICE` alone when the registry has one device of that id.
enum DeviceName {
    static func address(_ text: String, station: String?, registry: Registry) throws -> DeviceAddress {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, let id = parts.last, CareTopic.isDeviceID(id) else {
            throw UsageError("caregate: '\(text)' is not a device: write DEVICE or STATION/DEVICE, as in its topics")
        }
        if parts.count == 2 || station != nil {
            let st = parts.count == 2 ? parts[0] : station!
            guard CareTopic.isStationID(st) else { throw UsageError("caregate: '\(st)' is not a station id") }
            return DeviceAddress(station: st, device: id)
        }
        let known = registry.devices.keys.filter { $0.device == id }
        if known.count == 1 { return known[0] }
        if known.count > 1 {
            throw UsageError("caregate: \(id) is registered in stations \(known.map(\.station).sorted().joined(separator: ", ")): write STATION/\(id)")
        }
        throw UsageError("caregate: no station has a device \(id) registered: write STATION/\(id) or pass --station")
    }

    /// `--from` and `--at`: a time as RegistryTime reads it, or now.
    static func time(_ text: String?, _ option: String) throws -> Int64 {
        guard let text, text != "now" else { return SystemClock().nowMillis() }
        guard let ms = RegistryTime.parse(text) else {
            throw UsageError("caregate: \(option) '\(text)' is not a time: write YYYY-MM-DD, 'YYYY-MM-DD HH:MM', with a zone such as +08:00 if not local, or now")
        }
        return ms
    }
}
