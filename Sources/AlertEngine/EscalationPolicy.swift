import Telemetry

/// When an unacknowledged alert goes up the station's on-call list. Tier 1 is asked when the alert
/// is raised; each timeout without an acknowledgement asks the next tier, and the top tier is
/// asked again every timeout until someone acknowledges.
public struct EscalationPolicy: Sendable, Equatable {
    /// How many on-call tiers the station has (at least 1).
    public var tiers: Int
    /// Timeout before the next tier is asked, by priority, in ms; nil never escalates.
    public var high: Int64?
    public var medium: Int64?
    public var low: Int64?

    /// The defaults of issue 3: high 2 min, medium 10 min, low never.
    public init(tiers: Int = 1, high: Int64? = 2 * 60_000, medium: Int64? = 10 * 60_000, low: Int64? = nil) {
        self.tiers = max(1, tiers)
        self.high = high
        self.medium = medium
        self.low = low
    }

    /// The timeout of `priority`, ms.
    public func timeout(_ priority: Priority) -> Int64? {
        switch priority {
        case .high: high
        case .medium: medium
        case .low: low
        }
    }
}
