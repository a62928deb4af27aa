import Telemetry

/// One change an import file asks of the registry, with the line it was written on.
public struct RegistryEntry: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// Adds the resident, or replaces everything the registry knew of them.
        case resident(Resident)
        /// Adds or updates the device (its assignments are left alone); with `assignTo`, assigns
        /// it to that resident from `from` unless it is theirs already.
        case device(RegisteredDevice, assignTo: String?, from: Int64?)
    }

    public var change: Change
    /// 1-based line of the file.
    public var line: Int

    public init(_ change: Change, line: Int) {
        self.change = change
        self.line = line
    }
}

/// What an import changed.
public struct ImportSummary: Sendable, Equatable {
    public var residentsAdded = 0
    public var residentsUpdated = 0
    public var devicesAdded = 0
    public var devicesUpdated = 0
    public var assignments = 0

    public init() {}
}
