import Telemetry

/// Something the writer stores: a reading, a quarantined message, or an alert event.
public enum StoreItem: Sendable {
    case reading(Reading, receivedAt: Int64)
    case rejected(QuarantinedMessage)
    /// An alert event the gateway has just emitted, with its PROTOCOL.md §3 JSON: the columns
    /// are bound from the event's fields. The board of open alerts follows: the event's alert
    /// joins it, or leaves it when the event `closes` it.
    case alert(AlertEvent, json: String, cause: AlertCause)
    /// An alert event from its JSON alone (the spool keeps no more), with its number within the
    /// alert: the columns are read from the JSON by SQLite, and the row is the one `alert` stores.
    case alertEvent(json: String, number: Int, cause: AlertCause, closes: Bool)
    /// Beats detected in a device's ECG (with the interval before each and the heart rate at it),
    /// kept with the ECG's series.
    case beats(DeviceAddress, resident: String?, [DetectedBeat])
    /// The ECG's signal quality from `ts` on (`good`, `flat`, `saturated`, `noisy`), where it changed.
    case signalQuality(DeviceAddress, ts: Int64, quality: String)
}

/// A beat found in an ECG stream, as stored and queried (`--stream beat` and `--stream hr`).
public struct DetectedBeat: Sendable, Equatable {
    /// ms since the epoch.
    public var ts: Int64
    /// From the beat before, when there was one in the same run of signal.
    public var rrMillis: Int64?
    /// Beats a minute at this beat, from the last intervals.
    public var heartRate: Double?

    public init(ts: Int64, rrMillis: Int64? = nil, heartRate: Double? = nil) {
        self.ts = ts
        self.rrMillis = rrMillis
        self.heartRate = heartRate
    }
}

/// What caused an alert event, for the audit trail.
public enum AlertCause: UInt8, Sendable {
    /// A reading (its ts and seq are in the event).
    case reading = 0
    /// A timer of the gateway: an escalation, a silent device.
    case timer = 1
    /// A person: an acknowledgement (who is in the event's `by`).
    case person = 2
    /// A change to the registry: a device registered resolves its `device.unregistered`.
    case registry = 3

    public var name: String {
        switch self {
        case .reading: "reading"
        case .timer: "timer"
        case .person: "person"
        case .registry: "registry"
        }
    }
}

/// A message that failed validation (PROTOCOL.md §4), kept for support.
public struct QuarantinedMessage: Sendable, Equatable {
    /// Arrival time in µs since the epoch; unique per gateway, the row's key.
    public var arrival: Int64
    public var topic: String
    /// The rejection kind, e.g. `out_of_range`.
    public var kind: String
    /// The full reason, e.g. `out_of_range: systolic must be 20–300 mmHg`.
    public var reason: String
    /// The raw payload, truncated to `QuarantinedMessage.maxPayloadBytes`.
    public var payload: [UInt8]
    /// The payload's size before truncation.
    public var payloadSize: Int

    public static let maxPayloadBytes = 65_536

    public init(arrival: Int64, topic: String, kind: String, reason: String, payload: UnsafeRawBufferPointer) {
        self.arrival = arrival
        self.topic = topic
        self.kind = kind
        self.reason = reason
        self.payload = Array(payload.prefix(Self.maxPayloadBytes))
        self.payloadSize = payload.count
    }

    /// Milliseconds since the epoch.
    public var at: Int64 { arrival / 1000 }
}
