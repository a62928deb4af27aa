import Telemetry

/// A vendor's JSON format, declared in a profile file rather than written in code
/// (PROTOCOL.md §1, Other built-in profiles; `devices/README.md` shows the file).
///
/// The topic pattern says where the station and device ids are; field paths say where each
/// value is in the payload, in which unit and at which scale. A payload may hold one reading or
/// a batch (`each`: the path of an array, one reading per element, paths then relative to the
/// element; a path starting with `$.` is always from the payload's root).
public struct VendorProfile: Sendable, Equatable {
    /// The profile's name, as the quarantine and the logs report it.
    public var name: String
    public var topic: TopicPattern
    /// The station when the pattern has no `{station}`.
    public var station: String?
    /// The stream its readings belong to: bp, glucose, sos or status.
    public var stream: StreamKind
    /// The path of an array holding one reading per element; nil when the payload is one reading.
    public var each: FieldPath?
    /// Where the device id is, when the topic does not say it.
    public var device: FieldPath?
    public var time: TimeField?
    public var seq: FieldPath?
    /// Where a shared device names the resident measured.
    public var resident: FieldPath?
    /// The stream's values: systolic, diastolic, pulse (bp); glucose (glucose); cause, cancel
    /// (sos); battery, rssi (status).
    public var fields: [Field]

    public init(name: String, topic: TopicPattern, station: String? = nil, stream: StreamKind, each: FieldPath? = nil,
                device: FieldPath? = nil, time: TimeField? = nil, seq: FieldPath? = nil, resident: FieldPath? = nil,
                fields: [Field]) {
        self.name = name
        self.topic = topic
        self.station = station
        self.stream = stream
        self.each = each
        self.device = device
        self.time = time
        self.seq = seq
        self.resident = resident
        self.fields = fields
    }

    /// One value of the stream, where it is and how to read it.
    public struct Field: Sendable, Equatable {
        /// The stream's field: systolic, diastolic, pulse, glucose, context, cause, cancel, battery, rssi.
        public var target: String
        public var path: FieldPath
        /// The unit the vendor sends; nil for the stored unit (or for a word or a flag).
        public var unit: VendorUnit?
        /// Multiplied into the value before the unit is converted (a vendor sending 0.1 mmHg steps: 0.1).
        public var scale: Double
        public var required: Bool

        public init(target: String, path: FieldPath, unit: VendorUnit? = nil, scale: Double = 1, required: Bool = true) {
            self.target = target
            self.path = path
            self.unit = unit
            self.scale = scale
            self.required = required
        }
    }

    /// Where a reading's time is, and how it is written.
    public struct TimeField: Sendable, Equatable {
        public var path: FieldPath
        public var format: TimeFormat

        public init(path: FieldPath, format: TimeFormat) {
            self.path = path
            self.format = format
        }
    }

    /// How a vendor writes a time.
    public enum TimeFormat: String, Sendable, CaseIterable {
        /// ms since the Unix epoch.
        case milliseconds = "epoch_ms"
        /// Seconds since the Unix epoch.
        case seconds = "epoch_s"
        /// `2026-11-22T08:30:15Z`, `2026-11-22 08:30:15.250+08:00`; without a zone, the station's.
        case dateTime = "datetime"
    }

    /// The fields each stream reads, and which of them it needs.
    public static let targets: [StreamKind: [(name: String, required: Bool)]] = [
        .bp: [("systolic", true), ("diastolic", true), ("pulse", false)],
        .glucose: [("glucose", true), ("context", false)],
        .sos: [("cause", true), ("cancel", false)],
        .status: [("battery", false), ("rssi", false)],
    ]
}

/// The units a vendor profile may declare, with the factor to the stored unit.
public enum VendorUnit: String, Sendable, CaseIterable {
    case mmHg, kPa, Pa
    case mgdl = "mg/dL"
    case mmoll = "mmol/L"
    case perMinute = "/min"
    case percent = "%"
    case dBm

    /// The target fields this unit can be given for.
    public var targets: Set<String> {
        switch self {
        case .mmHg, .kPa, .Pa: ["systolic", "diastolic"]
        case .mgdl, .mmoll: ["glucose"]
        case .perMinute: ["pulse"]
        case .percent: ["battery"]
        case .dBm: ["rssi"]
        }
    }

    var factor: Double {
        switch self {
        case .kPa: CanonicalProfile.mmHgPerKPa
        case .Pa: CanonicalProfile.mmHgPerKPa / 1000
        case .mmoll: CanonicalProfile.mgdlPerMmolL
        case .mmHg, .mgdl, .perMinute, .percent, .dBm: 1
        }
    }
}
