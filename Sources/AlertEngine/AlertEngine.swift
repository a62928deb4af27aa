import Telemetry

/// The threshold and alert engine: readings, acknowledgements and the passing of time in, alert
/// lifecycle events out.
///
/// Pure and synchronous: no I/O, no locks, no logging; time is passed in. One owner calls it
/// (the MQTT network thread, under the pipeline's lock), so it needs no synchronisation.
///
/// State lives in flat arrays reached by one hash lookup a reading: a *series* is a device's
/// stream (duplicate and gap detection), a *subject* is a series and the resident measured (delay
/// counters, rate windows, the open alert of each rule family), and a *device* has the clock of
/// `device.silent`. Timers (escalations, silent devices) wait in a heap, so `tick` costs in
/// proportion to the timers that are due, never to the number of devices or alerts.
public struct AlertEngine: Sendable {
    public internal(set) var rules: RuleBook
    public private(set) var escalation: EscalationPolicy
    var compiled: CompiledRules

    /// Series by device address and stream; devices by address.
    var seriesTable = IndexTable()
    var series: [SeriesState] = []
    var subjects: [SubjectState] = []
    /// Each subject's families, side by side from its `firstFamily`.
    var familyStates: [FamilyState] = []
    var rateWindows: [RateWindow] = []
    var deviceTable = IndexTable()
    var devices: [DeviceState] = []
    var open: [String: OpenAlert] = [:]
    var timers = TimerQueue()
    var ids = AlertIdentifier()
    /// Off, every family is evaluated on every reading: the reference the index is tested against.
    var usesIndex = true

    // The states below are kept in arrays of one entry a device, series or subject, so their
    // small fields are declared together, after the large ones or in a large one's tail (the
    // series' 82-byte window): Swift lays fields out in declaration order, and a small field
    // between large ones pads every entry (the engine's memory a device is a target).

    struct SeriesState {
        var window = SequenceWindow()
        var stream: StreamKind
        var device: Int32
        /// The subject of readings that name no resident.
        var unnamed: Int32
        /// The resident of the series' last reading and their subject: a personal device's
        /// readings are one resident's for months, and the registry hands out the same String,
        /// so this is found without hashing.
        var lastSubject: Int32 = -1
        var lastResident: String?
        /// Subjects of the residents named or assigned.
        var residents: [String: Int32] = [:]
    }

    struct SubjectState {
        var resident: String?
        var series: Int32
        /// The rule set: the station's limits (0) or an override's.
        var ruleSet: Int32
        /// Where its families' states start in `familyStates`: one a family of the stream, in
        /// `compiled.families(of:)` order; for `sos`, one for `sos.call`.
        var firstFamily: Int32
        /// Its families with an open alert or a condition pending: while there are none, a
        /// reading evaluates only the families whose conditions it meets.
        var active: Int32 = 0
    }

    struct FamilyState {
        /// The open alert of this family, device and resident.
        var alert: String?
        /// Consecutive violating readings, and the ts of the first (condition delay).
        var pendingCount: Int32 = 0
        /// Index of its values in `rateWindows`, for a rate-of-change family; -1 until needed.
        var rate: Int32 = -1
        var pendingSince: Int64 = 0
    }

    struct DeviceState {
        var address: DeviceAddress
        /// Gateway time of its last message, ms.
        var lastHeard: Int64
        var silentAlert: String?
        /// `device.unregistered` while it is open; `flaggedUnregistered` says whether it was ever
        /// raised for this device (it never is again).
        var unregisteredAlert: String?
        /// The open alert of each ECG condition (a literal of nils is one shared, static array:
        /// a device that sends no ECG has no heap of its own for it).
        var ecgAlerts: [String?] = [nil, nil, nil, nil]
        /// The stream it measures: the first other than `status` it sent.
        var kind: StreamKind
        var timerQueued = false
        var flaggedUnregistered = false
    }

    /// Streams with more families than this evaluate all of them on every reading.
    static let indexedFamiliesMax = 256

    /// Engine with `rules` and the escalation `policy`.
    public init(rules: RuleBook = .defaults, escalation policy: EscalationPolicy = EscalationPolicy()) {
        self.rules = rules
        self.escalation = policy
        compiled = CompiledRules(rules)
    }

    /// The alerts open now.
    public var openAlertCount: Int { open.count }

    /// The alerts open now, most urgent first, then oldest first.
    public var openAlerts: [OpenAlert] {
        open.values.sorted { ($0.priority, -$0.raisedAt) > ($1.priority, -$1.raisedAt) }
    }

    /// Checks `reading` against the rules at gateway time `now` (ms) and returns the events it
    /// causes, with what it says about the device's sequence.
    public mutating func ingest(_ reading: Reading, now: Int64) -> IngestResult {
        var result = IngestResult()
        let s: Int32
        if let found = findSeries(reading.source, reading.stream) {
            s = found
            if series[Int(s)].window.contains(seq: reading.seq, ts: reading.ts) {
                result.duplicate = true
                return result
            }
            result.gap = series[Int(s)].window.record(seq: reading.seq, ts: reading.ts)
        } else {
            s = makeSeries(reading.source, reading.stream)
            _ = series[Int(s)].window.record(seq: reading.seq, ts: reading.ts)
        }
        if let silent = heard(device: series[Int(s)].device, stream: reading.stream, now: now) {
            resolve(silent, reading, now: now, cancelled: false, into: &result.events)
        }
        // A meter checked with control solution measured no one: stored, never alerted on.
        if !reading.notes.isEmpty && reading.notes.contains(.controlSolution) { return result }

        let subject = subjectIndex(series: s, resident: reading.resident)
        if case .sos(let call) = reading.value {
            evaluateEmergencyCall(call, subject: subject, reading, now: now, into: &result.events)
            return result
        }
        let measures = Measures(reading.value)
        let stream = Int(reading.stream.rawValue)
        let first = Int(compiled.streamStart[stream])
        let count = Int(compiled.streamStart[stream + 1]) - first
        if subjects[Int(subject)].active > 0 || count > Self.indexedFamiliesMax || !usesIndex {
            for position in 0..<count {
                evaluate(subject: subject, position: position, family: Int(compiled.streamFamilies[first + position]), measures,
                         reading, now: now, lifecycle: true, into: &result.events)
            }
            return result
        }
        // Nothing open or pending: only the families this reading meets, and the rate families
        // (their windows move with every reading), in family order.
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.indexedFamiliesMax) { positions in
            var n = 0
            for i in Int(compiled.rateStart[stream])..<Int(compiled.rateStart[stream + 1]) {
                positions[n] = compiled.ratePositions[i]
                n += 1
            }
            compiled.forEachMet(set: subjects[Int(subject)].ruleSet, measures) { position in
                for j in 0..<n where positions[j] == position { return }
                positions[n] = position
                n += 1
            }
            if n > 1 { positions[0..<n].sort() }
            for j in 0..<n {
                let position = Int(positions[j])
                evaluate(subject: subject, position: position, family: Int(compiled.streamFamilies[first + position]), measures,
                         reading, now: now, lifecycle: true, into: &result.events)
            }
        }
        return result
    }
}

/// What one reading caused.
public struct IngestResult: Sendable {
    /// Lifecycle events, in order; usually none.
    public var events: [AlertEvent] = []
    /// The reading repeats one of the device's recent ones (same seq and ts): a QoS 1 redelivery.
    public var duplicate = false
    /// Readings missing between the previous one and this (a jump in seq); 0 when none.
    public var gap: Int64 = 0

    public init() {}
}
