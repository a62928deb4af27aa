import Foundation

/// An alert event seen on `care/{station}/alerts` (PROTOCOL.md §3), with when it arrived.
public struct AlertObservation: Sendable, Equatable {
    public var id: String
    public var event: String
    public var rule: String
    public var priority: String
    public var device: String
    public var resident: String?
    public var readingSeq: Int64?
    public var readingTs: Int64?
    /// Scenario time, ms: of the reading that caused it, or of its arrival for events a timer
    /// or a person caused.
    public var offset: Int64
    /// Wall time from the causing reading's send to the event's arrival, ms.
    public var latencyMillis: Double?
    /// Monotonic arrival time, ns, for latency.
    public var arrivedNanos: UInt64

    public init(id: String, event: String, rule: String, priority: String, device: String, resident: String? = nil,
                readingSeq: Int64? = nil, readingTs: Int64? = nil, offset: Int64, arrivedNanos: UInt64 = 0) {
        self.id = id
        self.event = event
        self.rule = rule
        self.priority = priority
        self.device = device
        self.resident = resident
        self.readingSeq = readingSeq
        self.readingTs = readingTs
        self.offset = offset
        self.arrivedNanos = arrivedNanos
    }

    /// The event in `payload`, or nil when it is not an alert event.
    public static func parse(_ payload: UnsafeRawBufferPointer, offset: Int64, arrivedNanos: UInt64) -> AlertObservation? {
        guard let base = payload.baseAddress else { return nil }
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: payload.count, deallocator: .none)
        guard let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let id = o["id"] as? String, let event = o["event"] as? String, let rule = o["rule"] as? String else { return nil }
        return AlertObservation(id: id, event: event, rule: rule, priority: o["priority"] as? String ?? "",
                                device: o["device"] as? String ?? "", resident: o["resident"] as? String,
                                readingSeq: (o["reading_seq"] as? NSNumber)?.int64Value, readingTs: (o["reading_ts"] as? NSNumber)?.int64Value,
                                offset: offset, arrivedNanos: arrivedNanos)
    }
}
