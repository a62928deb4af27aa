/// The station's residents and devices, as one value the gateway swaps whole when the registry
/// changes. It decides whom a reading belongs to.
public struct Registry: Sendable, Equatable {
    public private(set) var residents: [String: Resident] = [:]
    public private(set) var devices: [DeviceAddress: RegisteredDevice] = [:]
    /// Every name a payload may give a resident, their id or an identifier such as an ID-card
    /// number → resident id: one lookup a reading. An id wins over another resident's identifier.
    private var names: [String: String] = [:]

    public init(residents: [Resident] = [], devices: [RegisteredDevice] = []) {
        for resident in residents {
            self.residents[resident.id] = resident
            for identifier in resident.identifiers { names[identifier] = resident.id }
        }
        for id in self.residents.keys { names[id] = id }
        for device in devices { self.devices[device.address] = device }
    }

    /// The resident a payload or an operator names, by id or by identifier.
    public func resident(named name: String) -> Resident? {
        names[name].flatMap { residents[$0] }
    }

    /// Whether nothing is registered.
    public var isEmpty: Bool { residents.isEmpty && devices.isEmpty }

    /// Sets `reading.resident` to the resident it belongs to: the one its payload names (by id or
    /// by an identifier such as an ID-card number), else the device's assignment at the reading's
    /// time, else none. Says how it decided.
    @inline(__always)
    public func attribute(_ reading: inout Reading) -> Attribution {
        let device = devices.isEmpty ? nil : devices[reading.source]
        if let named = reading.resident {
            if let resident = names[named], resident != named { reading.resident = resident }
            return device == nil ? .unknownDevice : .named
        }
        guard let device else { return .unknownDevice }
        reading.resident = device.shared ? nil : device.resident(at: reading.ts)
        return reading.resident == nil ? .unassigned : .assigned
    }
}

/// How a reading's resident was decided.
public enum Attribution: Sendable, Equatable {
    /// The payload named the resident (a shared device).
    case named
    /// The device's assignment at the reading's time.
    case assigned
    /// A registered device that nobody had at that time (or a shared one whose reading named nobody).
    case unassigned
    /// The registry does not know the device.
    case unknownDevice
}
