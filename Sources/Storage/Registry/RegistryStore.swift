import Telemetry

/// Changes to the registry, each in one transaction: all of it or none. The running gateway
/// sees them at its next tick (the tables' triggers move `registryVersion`).
public final class RegistryStore {
    let db: Database

    /// Opens (creating and migrating if need be) the database at `path`.
    public init(path: String) throws(SQLiteError) {
        db = try Database.openStore(path: path)
    }

    /// The registry as it is now.
    public func load() throws(SQLiteError) -> Registry {
        try db.loadRegistry()
    }

    /// Applies an import file's entries in order, in one transaction. An entry that cannot be
    /// taken throws a `RegistryError` with its line, and nothing is changed. With `dryRun`, every
    /// check runs and what would change is returned, but nothing is kept.
    public func apply(_ entries: [RegistryEntry], now: Int64, dryRun: Bool = false) throws -> ImportSummary {
        try transaction(keep: !dryRun) {
            var summary = ImportSummary()
            for entry in entries {
                do {
                    switch entry.change {
                    case .resident(let resident):
                        if try put(resident, now: now) { summary.residentsAdded += 1 } else { summary.residentsUpdated += 1 }
                    case .device(let device, let resident, let from):
                        if try put(device, now: now) { summary.devicesAdded += 1 } else { summary.devicesUpdated += 1 }
                        if let resident, case .assigned = try assignInTransaction(device.address, to: resident, from: from ?? now) {
                            summary.assignments += 1
                        }
                    }
                } catch var error as RegistryError {
                    error.line = error.line ?? entry.line
                    throw error
                }
            }
            return summary
        }
    }

    /// Registers a device, or updates what the registry says of it; true if it is new.
    @discardableResult
    public func register(_ device: RegisteredDevice, now: Int64) throws -> Bool {
        try transaction { try put(device, now: now) }
    }

    /// Gives the device to `resident` from `from` (ms), ending the assignment it had then.
    public func assign(_ address: DeviceAddress, to resident: String, from: Int64) throws -> AssignOutcome {
        try transaction { try assignInTransaction(address, to: resident, from: from) }
    }

    /// Ends the device's running assignment at `at` (ms); returns the assignment as ended.
    public func unassign(_ address: DeviceAddress, at: Int64) throws -> Assignment {
        try transaction {
            let device = try registered(address)
            guard var current = device.current else { throw RegistryError("\(address) is not assigned to anyone") }
            guard at > current.from else {
                throw RegistryError("\(address) has been with \(current.resident) since \(RegistryTime.text(current.from)): it can only be unassigned after that")
            }
            try end(current, of: address, at: at)
            current.to = at
            return current
        }
    }

    // MARK: - Within a transaction

    /// Adds or replaces a resident; true if new.
    private func put(_ resident: Resident, now: Int64) throws -> Bool {
        let owners = try db.prepare("SELECT resident FROM resident_identifiers WHERE identifier = ?1")
        for identifier in resident.identifiers {
            owners.reset()
            owners.bind(1, identifier)
            if try owners.step(), let owner = owners.string(0), owner != resident.id {
                throw RegistryError("identifier \(identifier) already names resident \(owner)")
            }
        }
        let exists = try db.prepare("SELECT 1 FROM residents WHERE id = ?1")
        exists.bind(1, resident.id)
        let isNew = try !exists.step()
        for table in ["resident_contacts", "resident_identifiers", "resident_limits"] {
            let s = try db.prepare("DELETE FROM \(table) WHERE resident = ?1")
            s.bind(1, resident.id)
            try s.step()
        }
        let r = try db.prepare("""
            INSERT INTO residents (id, name, station, born, care_team, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (id) DO UPDATE SET name = ?2, station = ?3, born = ?4, care_team = ?5, updated = ?6
            """)
        r.bind(1, resident.id)
        r.bind(2, resident.name)
        r.bind(3, resident.station)
        r.bind(4, resident.born)
        r.bind(5, resident.careTeam.joined(separator: "\n"))
        r.bind(6, now)
        try r.step()
        let c = try db.prepare("INSERT INTO resident_contacts (resident, position, name, relation, phone) VALUES (?1, ?2, ?3, ?4, ?5)")
        for (position, contact) in resident.contacts.enumerated() {
            c.reset()
            c.bind(1, resident.id)
            c.bind(2, Int64(position))
            c.bind(3, contact.name)
            c.bind(4, contact.relation)
            c.bind(5, contact.phone)
            try c.step()
        }
        let i = try db.prepare("INSERT INTO resident_identifiers (identifier, resident) VALUES (?1, ?2)")
        for identifier in resident.identifiers {
            i.reset()
            i.bind(1, identifier)
            i.bind(2, resident.id)
            try i.step()
        }
        let l = try db.prepare("INSERT INTO resident_limits (resident, rule, conditions) VALUES (?1, ?2, ?3)")
        for (rule, conditions) in resident.limits.sorted(by: { $0.key < $1.key }) {
            l.reset()
            l.bind(1, resident.id)
            l.bind(2, rule)
            l.bind(3, conditions.joined(separator: "\n"))
            try l.step()
        }
        return isNew
    }

    /// Adds or updates a device, leaving its assignments alone; true if new.
    private func put(_ device: RegisteredDevice, now: Int64) throws -> Bool {
        let known = try registration(device.address)
        if device.shared, let current = known?.current {
            throw RegistryError("\(device.address) is assigned to \(current.resident): unassign it before making it shared")
        }
        let s = try db.prepare("""
            INSERT INTO devices (station, device, kind, profile, shared, registered) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (station, device) DO UPDATE SET kind = coalesce(?3, kind), profile = coalesce(?4, profile), shared = ?5
            """)
        s.bind(1, device.address.station)
        s.bind(2, device.address.device)
        s.bind(3, device.kind?.name)
        s.bind(4, device.profile)
        s.bind(5, Int64(device.shared ? 1 : 0))
        s.bind(6, now)
        try s.step()
        return known == nil
    }

    private func assignInTransaction(_ address: DeviceAddress, to resident: String, from: Int64) throws -> AssignOutcome {
        let device = try registered(address)
        guard !device.shared else {
            throw RegistryError("\(address) is shared: each of its readings names its resident, so it is never assigned")
        }
        let exists = try db.prepare("SELECT station FROM residents WHERE id = ?1")
        exists.bind(1, resident)
        guard try exists.step() else { throw RegistryError("no resident \(resident) in the registry: import them first") }
        if let current = device.current {
            if current.resident == resident { return .unchanged(current) }
            guard from > current.from else {
                throw RegistryError("\(address) has been with \(current.resident) since \(RegistryTime.text(current.from)): a new assignment must start after that")
            }
            try end(current, of: address, at: from)
        } else if let last = device.assignments.last, let to = last.to, from < to {
            throw RegistryError("\(address) was with \(last.resident) until \(RegistryTime.text(to)): a new assignment must start then or later")
        }
        let s = try db.prepare("INSERT INTO device_assignments (station, device, from_ts, to_ts, resident) VALUES (?1, ?2, ?3, NULL, ?4)")
        s.bind(1, address.station)
        s.bind(2, address.device)
        s.bind(3, from)
        s.bind(4, resident)
        try s.step()
        return .assigned(Assignment(resident: resident, from: from), ended: device.current.map { Assignment(resident: $0.resident, from: $0.from, to: from) })
    }

    /// Ends the running assignment `current` of the device at `at`.
    private func end(_ current: Assignment, of address: DeviceAddress, at: Int64) throws {
        let s = try db.prepare("UPDATE device_assignments SET to_ts = ?4 WHERE station = ?1 AND device = ?2 AND from_ts = ?3")
        s.bind(1, address.station)
        s.bind(2, address.device)
        s.bind(3, current.from)
        s.bind(4, at)
        try s.step()
    }

    /// The device as registered, with its assignments; throws if the registry does not know it.
    private func registered(_ address: DeviceAddress) throws -> RegisteredDevice {
        guard let device = try registration(address) else {
            throw RegistryError("\(address) is not registered: add it with caregate devices register, or in an import file's devices")
        }
        return device
    }

    /// The device as registered, with its assignments, or nil if the registry does not know it.
    private func registration(_ address: DeviceAddress) throws -> RegisteredDevice? {
        let s = try db.prepare("SELECT kind, profile, shared FROM devices WHERE station = ?1 AND device = ?2")
        s.bind(1, address.station)
        s.bind(2, address.device)
        guard try s.step() else { return nil }
        var device = RegisteredDevice(address: address, kind: s.string(0).flatMap { StreamKind(name: $0) }, profile: s.string(1),
                                      shared: s.int64(2) != 0)
        let a = try db.prepare("SELECT resident, from_ts, to_ts FROM device_assignments WHERE station = ?1 AND device = ?2 ORDER BY from_ts")
        a.bind(1, address.station)
        a.bind(2, address.device)
        while try a.step() {
            device.assignments.append(Assignment(resident: a.string(0) ?? "", from: a.int64(1), to: a.isNull(2) ? nil : a.int64(2)))
        }
        return device
    }

    private func transaction<T>(keep: Bool = true, _ body: () throws -> T) throws -> T {
        try db.execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try db.execute(keep ? "COMMIT" : "ROLLBACK")
            return result
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }
}

/// What `assign` did.
public enum AssignOutcome: Sendable, Equatable {
    /// A new assignment, and the one it ended, if any.
    case assigned(Assignment, ended: Assignment?)
    /// The device was theirs already.
    case unchanged(Assignment)
}
