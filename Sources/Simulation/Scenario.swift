import Telemetry

/// A scenario file (`simulators/NN-name.yaml`): a station, its residents and devices with the
/// values they measure, events scripted at times, and the alert events they must cause.
public struct Scenario: Sendable {
    /// The file it was read from, for messages.
    public var file: String
    /// What the scenario shows, one line.
    public var title: String
    public var station: String
    /// Scenario time from the first message to the last, ms.
    public var durationMillis: Int64
    /// How many times faster than real time it runs unless `--speed` says otherwise.
    public var speed: Double
    /// The fastest it may run: scenarios whose alerts come from the gateway's own clock
    /// (`device.silent`, escalation) cannot be accelerated.
    public var maxSpeed: Double?
    /// The station's zone, for the times of day of schedules and circadian drift; ms east of UTC.
    public var zoneOffsetMillis: Int64
    /// MQTT QoS of the telemetry.
    public var qos: Int32
    public var residents: [SimResident]
    public var devices: [SimDevice]
    public var events: [ScriptedEvent]
    public var expectations: [AlertExpectation]
    /// Whether an alert no expectation names fails the scenario (`unexpected: fail`, the
    /// default) or is only counted (`unexpected: report`, for station-scale runs).
    public var failsOnUnexpected: Bool
    /// A rules file the gateway must run with for this scenario, relative to the scenario's folder.
    public var gatewayRules: String?

    /// The device with this id.
    public func device(_ id: String) -> SimDevice? { devices.first { $0.id == id } }
}

/// A resident of the simulated station.
public struct SimResident: Sendable, Equatable {
    public var id: String
    public var name: String?
}

/// How a device encodes its readings on the wire (`devices/` profiles).
public enum SimProfile: String, Sendable, CaseIterable {
    case canonical
    case senml
    case bleGatt = "ble-gatt"
    case polarPMD = "polar-pmd"

    /// Whether this profile can carry `stream`.
    public func carries(_ stream: StreamKind) -> Bool {
        switch self {
        case .canonical: true
        case .senml: stream == .bp || stream == .glucose || stream == .sos || stream == .status
        case .bleGatt: stream == .bp || stream == .glucose
        case .polarPMD: stream == .ecg
        }
    }
}

/// When a device measures.
public enum Schedule: Sendable, Equatable {
    /// Every interval, the first at `phase` after the start.
    case every(Int64, phase: Int64)
    /// At these local times of day (ms after midnight), every day.
    case daily([Int64])
}

/// What a device measures and how its values behave.
public enum Measure: String, Sendable, CaseIterable, Comparable {
    case systolic, diastolic, pulse, glucose, battery

    public static func < (a: Measure, b: Measure) -> Bool { a.rawValue < b.rawValue }

    /// The stream this measure travels on.
    public var stream: StreamKind {
        switch self {
        case .systolic, .diastolic, .pulse: .bp
        case .glucose: .glucose
        case .battery: .status
        }
    }
}

/// One measure's value over time: a baseline with noise and a daily rhythm.
public struct MeasureModel: Sendable, Equatable {
    public var baseline: Double
    /// Standard deviation of one reading around the baseline.
    public var noise: Double = 0
    /// Amplitude of the daily rhythm (the morning surge of blood pressure), peaking at `peakHour`.
    public var circadian: Double = 0
    public var peakHour: Double = 9
    /// Standard deviation between residents of a population: each device's own baseline is
    /// drawn once from baseline ± spread.
    public var spread: Double = 0
    /// Change an hour (battery drain is negative).
    public var drift: Double = 0

    public init(baseline: Double, noise: Double = 0, circadian: Double = 0, peakHour: Double = 9, spread: Double = 0, drift: Double = 0) {
        self.baseline = baseline
        self.noise = noise
        self.circadian = circadian
        self.peakHour = peakHour
        self.spread = spread
        self.drift = drift
    }
}

/// A simulated device.
public struct SimDevice: Sendable {
    public var id: String
    /// The stream it measures; a pendant that only sends heartbeats measures `status`.
    public var stream: StreamKind
    public var profile: SimProfile
    public var schedule: Schedule?
    public var model: [Measure: MeasureModel]
    /// Status heartbeats (with battery when modelled), this often.
    public var heartbeat: Int64?
    /// Its resident (a personal device), or nil.
    public var resident: String?
    /// A shared device (a community kiosk): its readings name these residents in turn.
    public var measures: [String]
    /// Whether the scenario's registry lists the device (`registered: false` for a stranger).
    public var registered: Bool
    /// ECG: the recording it plays (`sample,uv` CSV), its rate and samples a message.
    public var recording: ECGRecording?
    public var chunk: Int
    /// Line of the file, for messages.
    public var line: Int
}
