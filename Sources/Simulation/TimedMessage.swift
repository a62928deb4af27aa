import Telemetry

/// One thing the simulator sends, at its time in the scenario.
public struct TimedMessage: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Telemetry (or a deliberately broken message) from a device.
        case telemetry
        /// A nurse's acknowledgement of the device's open alert of this rule: the alert's id is
        /// known only when it is sent, from the alerts watched.
        case acknowledge(rule: String, by: String)
    }

    /// Scenario time, ms from the start.
    public var offset: Int64
    public var topic: String
    public var payload: [UInt8]
    public var device: String
    public var kind: Kind

    public init(offset: Int64, topic: String, payload: [UInt8], device: String, kind: Kind = .telemetry) {
        self.offset = offset
        self.topic = topic
        self.payload = payload
        self.device = device
        self.kind = kind
    }
}
