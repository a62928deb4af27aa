/// One step in an alert's life (PROTOCOL.md §3).
public enum AlertEventKind: String, Sendable, CaseIterable {
    case raised, updated, escalated, acknowledged, resolved
}

/// A lifecycle event of one alert, as published on `care/{station}/alerts` and stored.
public struct AlertEvent: Sendable, Equatable {
    /// The alert's id, stable across its events.
    public var alertID: String
    /// The event's number within its alert: 1 for `raised`, then 2, 3, …
    public var number: Int
    public var kind: AlertEventKind
    /// Rule id, e.g. `bp.crisis`.
    public var rule: String
    public var priority: Priority
    public var source: DeviceAddress
    public var stream: StreamKind
    public var resident: String?
    /// The values of the reading that caused the event; nil for events caused by a timer or a person.
    public var value: ReadingValue?
    public var readingTS: Int64?
    public var readingSeq: Int64?
    /// When the gateway emitted the event, ms since the epoch.
    public var at: Int64
    /// Violating readings seen so far in this alert.
    public var count: Int
    /// Who acknowledged (for `acknowledged`).
    public var by: String?
    /// The on-call tier now asked (for `escalated`).
    public var tier: Int?
    /// After this event the alert is closed: resolved and, if it latches, acknowledged. Not
    /// published; the store keeps the board of open alerts with it.
    public var closes: Bool

    public init(alertID: String, number: Int, kind: AlertEventKind, rule: String, priority: Priority,
                source: DeviceAddress, stream: StreamKind, resident: String?, value: ReadingValue?,
                readingTS: Int64?, readingSeq: Int64?, at: Int64, count: Int, by: String? = nil, tier: Int? = nil, closes: Bool = false) {
        self.alertID = alertID
        self.number = number
        self.kind = kind
        self.rule = rule
        self.priority = priority
        self.source = source
        self.stream = stream
        self.resident = resident
        self.value = value
        self.readingTS = readingTS
        self.readingSeq = readingSeq
        self.at = at
        self.count = count
        self.by = by
        self.tier = tier
        self.closes = closes
    }
}
