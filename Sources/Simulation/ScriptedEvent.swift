/// Something that happens to a device at a time of the scenario.
public struct ScriptedEvent: Sendable {
    public enum Action: Sendable, Equatable {
        /// Readings take these values (no noise) for `for` ms; a reading is taken at once.
        case set([Measure: Double], for: Int64)
        /// The values move to these targets over `over`, stay `hold`, and return over `over`.
        case ramp([Measure: Double], over: Int64, hold: Int64)
        /// An emergency call.
        case call(cause: String)
        /// The resident cancels the call as a false alarm.
        case cancel
        /// The device sends nothing (no heartbeat either) for this long, or to the end.
        case silent(for: Int64?)
        /// An ECG goes flat (an electrode off, or asystole) for this long: its samples hold still.
        case flat(for: Int64)
        /// The device's next message arrives twice (a QoS 1 redelivery).
        case duplicate
        /// The device's next two messages arrive in the wrong order.
        case outOfOrder
        /// The device reboots: its next message has seq 1.
        case reboot
        /// A broken message from the device.
        case malformed(Malformation)
        /// A nurse acknowledges the device's open alert of this rule, on the acknowledgement topic.
        case acknowledge(rule: String, by: String)
    }

    /// Scenario time, ms from the start.
    public var at: Int64
    public var device: String
    public var action: Action
    public var line: Int
}

/// The kinds of broken message a scenario can send, each one PROTOCOL.md §4 rejects.
public enum Malformation: String, Sendable, CaseIterable {
    case notJSON = "not_json"
    case missingField = "missing_field"
    case outOfRange = "out_of_range"
    case duplicateKey = "duplicate_key"
    case badTopic = "bad_topic"
    case tooDeep = "too_deep"
    case wrongType = "wrong_type"
}
