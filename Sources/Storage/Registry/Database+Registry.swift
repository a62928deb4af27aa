import Telemetry

extension Database {
    /// The whole registry, as the gateway holds it.
    func loadRegistry() throws(SQLiteError) -> Registry {
        var residents: [String: Resident] = [:]
        var order: [String] = []
        let r = try prepare("SELECT id, name, station, born, care_team FROM residents ORDER BY id")
        while try r.step() {
            let id = r.string(0) ?? ""
            order.append(id)
            residents[id] = Resident(id: id, name: r.string(1) ?? "", station: r.string(2) ?? "", born: r.string(3),
                                     careTeam: Self.lines(r.string(4)))
        }
        let c = try prepare("SELECT resident, name, relation, phone FROM resident_contacts ORDER BY resident, position")
        while try c.step() {
            residents[c.string(0) ?? ""]?.contacts.append(Contact(name: c.string(1) ?? "", relation: c.string(2) ?? "", phone: c.string(3) ?? ""))
        }
        let i = try prepare("SELECT identifier, resident FROM resident_identifiers ORDER BY resident, identifier")
        while try i.step() { residents[i.string(1) ?? ""]?.identifiers.append(i.string(0) ?? "") }
        let l = try prepare("SELECT resident, rule, conditions FROM resident_limits ORDER BY resident, rule")
        while try l.step() { residents[l.string(0) ?? ""]?.limits[l.string(1) ?? ""] = Self.lines(l.string(2)) }

        var devices: [DeviceAddress: RegisteredDevice] = [:]
        let d = try prepare("SELECT station, device, kind, profile, shared FROM devices")
        while try d.step() {
            let address = DeviceAddress(station: d.string(0) ?? "", device: d.string(1) ?? "")
            devices[address] = RegisteredDevice(address: address, kind: d.string(2).flatMap { StreamKind(name: $0) },
                                                profile: d.string(3), shared: d.int64(4) != 0)
        }
        let a = try prepare("SELECT station, device, resident, from_ts, to_ts FROM device_assignments ORDER BY station, device, from_ts")
        while try a.step() {
            let address = DeviceAddress(station: a.string(0) ?? "", device: a.string(1) ?? "")
            devices[address]?.assignments.append(Assignment(resident: a.string(2) ?? "", from: a.int64(3),
                                                            to: a.isNull(4) ? nil : a.int64(4)))
        }
        return Registry(residents: order.compactMap { residents[$0] }, devices: Array(devices.values))
    }

    /// The registry's change counter: it moves on every change to any registry table.
    func registryVersion() throws(SQLiteError) -> Int64 {
        let s = try prepare("SELECT version FROM registry_changes WHERE id = 1")
        return try s.step() ? s.int64(0) : 0
    }

    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(separator: "\n").map(String.init)
    }
}

extension StoreReader {
    /// The registry: residents, devices and their assignment history.
    public func registry() throws(SQLiteError) -> Registry {
        try db.loadRegistry()
    }

    /// Every device the gateway has stored a message from.
    public func heardDevices() throws(SQLiteError) -> [DeviceAddress] {
        let s = try db.prepare("SELECT DISTINCT station, device FROM series ORDER BY station, device")
        var devices: [DeviceAddress] = []
        while try s.step() { devices.append(DeviceAddress(station: s.string(0) ?? "", device: s.string(1) ?? "")) }
        return devices
    }

    /// The devices that have ever had a `device.unregistered` alert, with the stream of its reading.
    public func unregisteredDevices() throws(SQLiteError) -> [(source: DeviceAddress, stream: StreamKind)] {
        let s = try db.prepare("SELECT station, device, min(stream) FROM alert_events WHERE rule = 'device.unregistered' GROUP BY station, device")
        var devices: [(DeviceAddress, StreamKind)] = []
        while try s.step() {
            devices.append((DeviceAddress(station: s.string(0) ?? "", device: s.string(1) ?? ""), StreamKind(name: s.string(2) ?? "") ?? .status))
        }
        return devices
    }

    /// A number that changes whenever the registry does.
    public func registryVersion() throws(SQLiteError) -> Int64 {
        try db.registryVersion()
    }
}
