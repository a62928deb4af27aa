import Telemetry

/// The threshold and alert engine: readings in, alert lifecycle events out.
///
/// Pure and synchronous: no I/O, no locks, no logging; time is passed in. One owner calls it
/// (the MQTT network thread), so it needs no synchronisation of its own.
/// Per device and stream it keeps the recent sequence numbers (duplicates and gaps), and per device,
/// rule family and resident at most one open alert (PROTOCOL.md §2).
public struct AlertEngine: Sendable {
    public private(set) var rules: RuleBook
    var familiesByStream: [[Int]]
    var sequences: [SeriesKey: SequenceWindow] = [:]
    var open: [AlertKey: OpenAlert] = [:]
    var ids = AlertIdentifier()

    struct SeriesKey: Hashable {
        var source: DeviceAddress
        var stream: StreamKind
    }

    struct AlertKey: Hashable {
        var source: DeviceAddress
        /// Index into `rules.families`, or `-1` for `sos.call`.
        var family: Int
        var resident: String?
    }

    struct OpenAlert {
        var id: String
        var rule: String
        var priority: Priority
        var count: Int
        var eventNumber: Int
    }

    public init(rules: RuleBook = .defaults) {
        self.rules = rules
        familiesByStream = StreamKind.allCases.map { stream in
            rules.families.indices.filter { rules.families[$0].stream == stream }
        }
    }

    /// The alerts open now.
    public var openAlertCount: Int { open.count }

    /// Checks `reading` against the rules at gateway time `now` (ms) and returns the events it
    /// causes, with what it says about the device's sequence.
    public mutating func ingest(_ reading: Reading, now: Int64) -> IngestResult {
        var result = IngestResult()
        let series = SeriesKey(source: reading.source, stream: reading.stream)
        // Mutated in place through the index: a copy out of the dictionary would copy the
        // window's arrays on write, an allocation per reading.
        if let index = sequences.index(forKey: series) {
            if sequences.values[index].contains(seq: reading.seq, ts: reading.ts) {
                result.duplicate = true
                return result
            }
            result.gap = sequences.values[index].record(seq: reading.seq, ts: reading.ts)
        } else {
            sequences[series] = SequenceWindow(seq: reading.seq, ts: reading.ts)
        }

        if case .sos(let call) = reading.value {
            evaluateEmergencyCall(call, reading, now: now, into: &result.events)
            return result
        }
        for family in familiesByStream[Int(reading.stream.rawValue)] {
            evaluate(family: family, reading, now: now, into: &result.events)
        }
        return result
    }
}

/// What one reading caused.
public struct IngestResult: Sendable {
    /// Lifecycle events, in order; usually none.
    public var events: [AlertEvent] = []
    /// The reading repeats the device's previous one (same seq and ts): a QoS 1 redelivery.
    public var duplicate = false
    /// Readings missing between the previous one and this (a jump in seq); 0 when none.
    public var gap: Int64 = 0

    public init() {}
}
