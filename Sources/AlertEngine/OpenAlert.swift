import Telemetry

/// An alert on the board: raised and not yet closed.
///
/// It is closed once the condition has cleared (`resolved`) and, when it latches, also
/// acknowledged. High priority latches (IEC 60601-1-8), except an emergency call the resident
/// cancelled; an acknowledged emergency call is resolved by the acknowledgement.
public struct OpenAlert: Sendable, Equatable {
    public var id: String
    public var rule: String
    public var priority: Priority
    public var source: DeviceAddress
    public var stream: StreamKind
    public var resident: String?
    /// Violating readings so far.
    public var count: Int
    /// The number of its latest event.
    public var eventNumber: Int
    /// Gateway time of `raised`, ms.
    public var raisedAt: Int64
    /// Whether the condition still holds (false once `resolved`, while it waits latched for an acknowledgement).
    public var active: Bool
    public var acknowledgedBy: String?
    /// The on-call tier asked last: 1 when raised, one more for each escalation.
    public var tier: Int
    /// When the next tier is asked, gateway time; nil when it will not be.
    public var escalationDue: Int64?
    /// The latest violating reading, which events caused by a timer or a person repeat.
    public var value: ReadingValue?
    public var readingTS: Int64?
    public var readingSeq: Int64?
    var owner: Owner

    /// What holds the alert: a rule family of one subject, or a device's silence.
    enum Owner: Sendable, Equatable {
        case family(subject: Int32, position: Int32)
        case silence(device: Int32)
        /// `device.unregistered` of a device.
        case registration(device: Int32)
        /// A rule on a device's ECG analysis.
        case ecg(device: Int32, condition: ECGCondition)
        /// Restored from the store for a rule the current book no longer has: it can still be acknowledged.
        case orphan
    }

    /// Whether this alert stays open after its condition clears until someone acknowledges it.
    public var latches: Bool { priority == .high }
}

/// The answer to an acknowledgement.
public enum AcknowledgeOutcome: Sendable, Equatable {
    /// The events it caused: `acknowledged`, and `resolved` when that ends the alert.
    case acknowledged([AlertEvent])
    /// No open alert has this id in this station (never raised, or already closed).
    case notOpen
    /// Someone acknowledged it already.
    case alreadyAcknowledged(by: String)
}
