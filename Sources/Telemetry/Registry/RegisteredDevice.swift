/// A device the registry knows: what it measures, how it reaches the gateway, and whom it has
/// measured over time.
public struct RegisteredDevice: Sendable, Equatable {
    public var address: DeviceAddress
    /// What it measures; nil when the operator did not say.
    public var kind: StreamKind?
    /// The device profile it speaks (`canonical`, `ble-gatt`, a vendor's), for the operator.
    public var profile: String?
    /// Shared by many residents (a kiosk): each reading names its resident, and it is never assigned.
    public var shared: Bool
    /// Who had it when, oldest first; periods never overlap.
    public var assignments: [Assignment]

    public init(address: DeviceAddress, kind: StreamKind? = nil, profile: String? = nil, shared: Bool = false,
                assignments: [Assignment] = []) {
        self.address = address
        self.kind = kind
        self.profile = profile
        self.shared = shared
        self.assignments = assignments
    }

    /// The kind a device is registered as, by its name: `bp`, `glucose`, `ecg` or `sos` (every
    /// device sends `status` besides what it measures). Nil for anything else.
    public static func kind(named name: String) -> StreamKind? {
        StreamKind(name: name).flatMap { $0 == .status ? nil : $0 }
    }

    /// The resident the device was assigned to at `ts` (ms), if any.
    public func resident(at ts: Int64) -> String? {
        // The newest period that started by then: searched from the end, where it nearly always is.
        guard let period = assignments.last(where: { $0.from <= ts }) else { return nil }
        if let to = period.to, ts >= to { return nil }
        return period.resident
    }

    /// The assignment still running (no end), if any.
    public var current: Assignment? {
        assignments.last.flatMap { $0.to == nil ? $0 : nil }
    }
}

/// One period in which a personal device measured one resident: `from ≤ ts < to`.
public struct Assignment: Sendable, Equatable {
    public var resident: String
    /// Start, ms since the Unix epoch, inclusive.
    public var from: Int64
    /// End, ms since the Unix epoch, exclusive; nil while it runs.
    public var to: Int64?

    public init(resident: String, from: Int64, to: Int64? = nil) {
        self.resident = resident
        self.from = from
        self.to = to
    }
}
