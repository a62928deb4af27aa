import ArgumentParser
import CommandContract
import DeviceProfiles
import Foundation
import Gateway
import Storage
import Telemetry

/// `caregate devices register|assign|unassign|list`: the station's devices in the registry and
/// whom each measures.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The station's devices: register one, give it to a resident, take it back, list them.",
        subcommands: [Register.self, Assign.self, Unassign.self, List.self])

    func run() throws {
        throw UsageError("caregate: give what to do with devices: register, assign, unassign or list (see caregate devices --help)")
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a device (or change what the registry says of it): its readings stop raising device.unregistered.")

        @Argument(help: "The device: STATION/DEVICE, or DEVICE with --station.") var device: String
        @Option(name: .long, help: "The device's station.") var station: String?
        @Option(name: .long, help: "What it measures: bp, glucose, ecg or sos.") var kind: String?
        @Option(name: .long, help: "The device profile it speaks, e.g. canonical, ble-gatt, community-bp-kiosk.") var profile: String?
        @Flag(name: .long, help: "Shared by many residents (a kiosk): each reading names its resident.") var shared = false
        @OptionGroup var options: RegistryOptions

        func run() throws {
            var kindValue: StreamKind?
            if let kind {
                guard let k = RegisteredDevice.kind(named: kind) else { throw UsageError("caregate: --kind must be bp, glucose, ecg or sos") }
                kindValue = k
            }
            let store = try options.openStore()
            let address = try DeviceName.address(device, station: station, registry: try options.load(store))
            let added = try registryChange { try store.register(RegisteredDevice(address: address, kind: kindValue, profile: profile, shared: shared), now: SystemClock().nowMillis()) }
            print("\(address) \(added ? "registered" : "updated")\(shared ? " (shared)" : "")")
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a personal device to a resident from a time on; readings from then on are theirs.",
            discussion: "A device that is someone else's is theirs until that time. A device the registry does not know is registered, as a personal device of the resident's station. The running gateway takes the change within a second.")

        @Argument(help: "The device: STATION/DEVICE, or DEVICE.") var device: String
        @Option(name: .long, help: "The resident's id.") var resident: String
        @Option(name: .long, help: "From when: YYYY-MM-DD, 'YYYY-MM-DD HH:MM' (local time, or add a zone such as +08:00), ms, or now.") var from: String?
        @Option(name: .long, help: "The device's station, when DEVICE alone is ambiguous.") var station: String?
        @OptionGroup var options: RegistryOptions

        func run() throws {
            let start = try DeviceName.time(from, "--from")
            let store = try options.openStore()
            let registry = try options.load(store)
            guard let owner = registry.residents[resident] else { throw Failure("caregate: no resident \(resident) in the registry: import them first") }
            // A new cuff handed to a resident: DEVICE alone is one of the resident's station.
            let isNew = !device.contains("/") && station == nil && !registry.devices.keys.contains { $0.device == device }
            let address = isNew ? DeviceAddress(station: owner.station, device: device)
                : try DeviceName.address(device, station: station, registry: registry)
            guard CareTopic.isDeviceID(address.device) else { throw UsageError("caregate: '\(device)' is not a device id") }
            if registry.devices[address] == nil {
                try registryChange { try store.register(RegisteredDevice(address: address), now: SystemClock().nowMillis()) }
                print("\(address) registered")
            }
            let outcome = try registryChange { try store.assign(address, to: owner.id, from: start) }
            switch outcome {
            case .unchanged(let current):
                print("\(address) is already \(owner.id)'s, since \(RegistryTime.text(current.from))")
            case .assigned(let assignment, let ended):
                print("\(address) is \(owner.id)'s (\(owner.name)) from \(RegistryTime.text(assignment.from))"
                      + (ended.map { "; it was \($0.resident)'s until then" } ?? ""))
            }
        }
    }

    struct Unassign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a device back from its resident at a time; its readings from then on belong to nobody until it is assigned again.")

        @Argument(help: "The device: STATION/DEVICE, or DEVICE.") var device: String
        @Option(name: .long, help: "When: YYYY-MM-DD, 'YYYY-MM-DD HH:MM' (local time, or add a zone), ms, or now.") var at: String?
        @Option(name: .long, help: "The device's station, when DEVICE alone is ambiguous.") var station: String?
        @OptionGroup var options: RegistryOptions

        func run() throws {
            let end = try DeviceName.time(at, "--at")
            let store = try options.openStore()
            let address = try DeviceName.address(device, station: station, registry: try options.load(store))
            let ended = try registryChange { try store.unassign(address, at: end) }
            print("\(address) was \(ended.resident)'s from \(RegistryTime.text(ended.from)) until \(RegistryTime.text(end))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The registered devices with whom each measures now, and the devices heard that the registry does not know.")

        @OptionGroup var options: RegistryOptions
        @Option(name: .long, help: "Only this station's devices.") var station: String?
        @Option(name: .long, help: "Output format: table (readable) or jsonl (one JSON object a line).") var format: OutputFormat = .table

        func run() throws {
            let registry = try options.registry()
            let path = try options.configuration().databasePath
            let heard = (try? StoreReader(path: path).heardDevices()) ?? []
            let now = SystemClock().nowMillis()
            var rows = registry.devices.values.map { DeviceRow(device: $0, registered: true, now: now, registry: registry) }
            for address in Set(heard) where registry.devices[address] == nil {
                rows.append(DeviceRow(device: RegisteredDevice(address: address), registered: false, now: now, registry: registry))
            }
            let out = Output()
            if format == .table { out.line(pad("DEVICE", 26) + pad("KIND", 9) + pad("PROFILE", 20) + pad("USE", 13) + pad("RESIDENT", 14) + "SINCE") }
            for row in rows.sorted(by: { $0.device.address.description < $1.device.address.description })
            where station.map({ $0 == row.device.address.station }) ?? true {
                out.line(format == .table ? row.table : row.json)
            }
            out.flush()
        }
    }
}

/// A registry change refused is the operator's to fix: its reason on one line, exit status 1.
@discardableResult
private func registryChange<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as RegistryError {
        throw Failure("caregate: \(error.message)")
    } catch {
        throw Failure("caregate: \(error)")
    }
}

/// One line of `devices list`.
private struct DeviceRow {
    var device: RegisteredDevice
    var registered: Bool
    var now: Int64
    var registry: Registry

    var current: Assignment? { device.assignments.last { $0.from <= now && ($0.to ?? .max) > now } }
    var use: String { !registered ? "unregistered" : device.shared ? "shared" : "personal" }

    var table: String {
        pad(device.address.description, 26) + pad(device.kind?.name ?? "-", 9) + pad(device.profile ?? "-", 20) + pad(use, 13)
            + pad(current?.resident ?? "-", 14) + (current.map { RegistryTime.text($0.from) } ?? "-")
    }

    var json: String {
        let object: [String: Any] = [
            "station": device.address.station, "device": device.address.device, "kind": device.kind?.name ?? NSNull(),
            "profile": device.profile ?? NSNull(), "use": use, "resident": current?.resident ?? NSNull(),
            "since": current?.from ?? NSNull(),
            "assignments": device.assignments.map { ["resident": $0.resident, "from": $0.from, "to": $0.to ?? NSNull()] as [String: Any] },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
