import AlertEngine
import DeviceProfiles
import ECGAnalysis
import Logging
import MQTT
import Storage
import Synchronization
import Telemetry

/// The path of one message, run on libmosquitto's network thread: decode → engine → spool
/// (durable before the callback returns, and so before the PUBACK) → publish the alert events →
/// the writer's next batch. The gateway's ticker runs the engine's timers through the same path.
///
/// The engine's lock is held until the events are spooled, published and queued, so that the
/// store sees every alert's events in the order the engine made them, whichever thread made them.
public final class Pipeline: Sendable {
    private struct State {
        var engine: AlertEngine
        /// The rules file's book; the engine runs it with the registry's per-resident limits added.
        var stationRules: RuleBook
        var registry: Registry
        var lastArrival: Int64 = 0
        /// The analysis of each device's ECG.
        var ecg: [DeviceAddress: ECGStream] = [:]
    }

    /// What is left to count and log once the engine's lock is released.
    private enum Outcome {
        case handled
        case duplicate
        case acknowledged([AlertEvent])
        case acknowledgementRefused(AcknowledgeOutcome, station: String, Acknowledgement)
        case rejected(Rejection)
    }

    private let state: Mutex<State>
    private let writer: StoreWriter
    private let spool: Spool
    private let clock: SystemClock
    private let logger: Logger
    private let rejections: RejectionLog
    private let tiers: [OnCall.Tier]
    private let profiles: ProfileSet
    /// What the gateway has counted.
    public let counters: Counters
    private let publisher = Mutex<MQTTClient?>(nil)

    /// A pipeline around `engine`, whose rules are `stationRules` with `registry`'s limits merged in.
    init(engine: AlertEngine, stationRules: RuleBook, registry: Registry, profiles: ProfileSet, tiers: [OnCall.Tier],
         writer: StoreWriter, spool: Spool, logger: Logger, counters: Counters) {
        state = Mutex(State(engine: engine, stationRules: stationRules, registry: registry))
        self.profiles = profiles
        self.tiers = tiers
        self.writer = writer
        self.spool = spool
        self.clock = SystemClock()
        self.logger = logger
        self.rejections = RejectionLog(logger: logger)
        self.counters = counters
    }

    /// Where alert events are published; set before the client starts.
    func publish(through client: MQTTClient) {
        publisher.withLock { $0 = client }
    }

    /// Handles one inbound message. Never throws and never stops the gateway: bad input is
    /// quarantined with its reason.
    public func handle(topic: String, payload: UnsafeRawBufferPointer) {
        counters.received.add(1, ordering: .relaxed)
        let micros = clock.nowMicros()
        let outcome: Outcome = state.withLock { s in
            s.lastArrival = max(micros, s.lastArrival + 1)
            // Decoded at the arrival the spool records, so that a replay decodes it the same.
            var decoded = DecodedMessage(topic: topic, payload: payload, arrival: s.lastArrival, profiles: profiles)
            let unknownDevice = decoded.attribute(s.registry)
            let now = s.lastArrival / 1000
            var events: [AlertEvent] = []
            var derived: [StoreItem] = []
            var cause = AlertCause.reading
            switch decoded {
            case .reading(let reading):
                let result = s.engine.ingest(reading, now: now)
                // The same device, stream, seq and ts again: a QoS 1 redelivery, already spooled.
                if result.duplicate { return .duplicate }
                if result.gap > 0 { counters.gaps.add(Int(result.gap), ordering: .relaxed) }
                events = result.events
                if unknownDevice { events += s.engine.unregistered(reading, now: now) }
                analyse(reading, &s, now: now, into: &derived, events: &events)
            case .readings(let readings):
                var fresh = 0
                for reading in readings {
                    let result = s.engine.ingest(reading, now: now)
                    if result.duplicate {
                        counters.duplicates.add(1, ordering: .relaxed)
                        continue
                    }
                    fresh += 1
                    if result.gap > 0 { counters.gaps.add(Int(result.gap), ordering: .relaxed) }
                    events += result.events
                    if unknownDevice { events += s.engine.unregistered(reading, now: now) }
                    analyse(reading, &s, now: now, into: &derived, events: &events)
                }
                if fresh == 0 { return .handled }
            case .acknowledgement(let station, let ack):
                let answer = s.engine.acknowledge(ack.id, by: ack.by, station: station, now: now)
                guard case .acknowledged(let caused) = answer else { return .acknowledgementRefused(answer, station: station, ack) }
                events = caused
                cause = .person
            case .rejected:
                break
            }
            commit(events, cause: cause, arrival: s.lastArrival, topic: topic, payload: payload, decoded: decoded)
            for item in derived { writer.submit(item, token: -1) }
            switch decoded {
            case .acknowledgement: return .acknowledged(events)
            case .rejected(let rejection): return .rejected(rejection)
            case .reading, .readings: return .handled
            }
        }

        switch outcome {
        case .handled:
            break
        case .duplicate:
            counters.duplicates.add(1, ordering: .relaxed)
        case .acknowledgementRefused(let answer, let station, let ack):
            let why = if case .alreadyAcknowledged(let by) = answer { "\(by) acknowledged it already" } else { "no open alert has that id in station \(station)" }
            rejections.record(kind: "acknowledgement", source: "\(station) (\(ack.by), alert \(ack.id))",
                              reason: "acknowledgement of alert \(ack.id) not taken: \(why)", now: micros / 1000, quarantined: false)
        case .acknowledged(let events):
            for event in events where event.kind == .acknowledged {
                logger.notice("alert \(event.alertID) (\(event.rule), \(event.source), resident \(event.resident ?? "unassigned")) acknowledged by \(event.by ?? "?")")
            }
        case .rejected(let rejection):
            counters.reject(rejection.kind)
            rejections.record(kind: rejection.kind.rawValue, source: rejectionSource(topic: topic), reason: rejection.description, now: micros / 1000)
        }
    }

    /// Runs an ECG chunk through its device's analysis: the beats it finds go to the store with
    /// the heart rate at each, and what it finds goes to the engine's ECG rules. A chunk the
    /// analysis refuses (it overlaps the one before) is stored all the same, and logged.
    private func analyse(_ reading: Reading, _ s: inout State, now: Int64, into items: inout [StoreItem], events: inout [AlertEvent]) {
        guard case .ecg(let chunk) = reading.value else { return }
        let findings: ECGFindings
        do {
            findings = try s.ecg[reading.source, default: ECGStream()].ingest(
                samples: chunk.samples, hz: chunk.hz, microvoltsPerLSB: chunk.microvoltsPerLSB, ts: reading.ts, seq: reading.seq)
        } catch {
            counters.ecgRefused.add(1, ordering: .relaxed)
            logger.warning("ECG of \(reading.source) seq \(reading.seq) not analysed: \(error)")
            return
        }
        if let reason = findings.restarted { logger.info("ECG analysis of \(reading.source) starts again: \(reason)") }
        let stream = s.ecg[reading.source]!
        // The engine hears of a condition while it holds and when it changes, not on every chunk
        // of a quiet stream (a restart ends what was holding).
        if findings.pauseStarted != nil || findings.pauseEnded != nil {
            events += s.engine.ecgPause(started: findings.pauseStarted, ended: findings.pauseEnded != nil, chunk: reading, now: now)
        }
        for beat in findings.beats {
            if let rate = beat.heartRate { events += s.engine.ecgHeartRate(rate, at: beat.ts, chunk: reading, now: now) }
        }
        if stream.irregularSince != nil || findings.irregular != nil || findings.restarted != nil {
            events += s.engine.ecgRhythm(irregularSince: stream.irregularSince, chunk: reading, now: now)
        }
        if stream.unusableSince != nil || !findings.quality.isEmpty || findings.restarted != nil {
            events += s.engine.ecgSignal(unusableSince: stream.unusableSince, chunk: reading, now: now)
        }
        for change in findings.quality {
            items.append(.signalQuality(reading.source, ts: change.ts, quality: change.quality.rawValue))
        }
        guard !findings.beats.isEmpty else { return }
        let beats = findings.beats.map { DetectedBeat(ts: $0.ts, rrMillis: $0.rrMillis, heartRate: $0.heartRate) }
        items.append(.beats(reading.source, resident: reading.resident, beats))
    }

    /// Runs the engine's timers that are due: escalations and silent devices.
    public func tick() {
        let micros = clock.nowMicros()
        let events: [AlertEvent] = state.withLock { s in
            s.lastArrival = max(micros, s.lastArrival + 1)
            let events = s.engine.tick(now: s.lastArrival / 1000)
            if !events.isEmpty {
                commit(events, cause: .timer, arrival: s.lastArrival, topic: "", payload: UnsafeRawBufferPointer(start: nil, count: 0), decoded: nil)
            }
            return events
        }
        for event in events {
            switch event.kind {
            case .escalated:
                let tier = (event.tier ?? 1) - 1
                let who = tiers.indices.contains(tier) ? "\(tiers[tier].name)\(tiers[tier].members.isEmpty ? "" : ": " + tiers[tier].members.joined(separator: ", "))" : "?"
                logger.notice("alert \(event.alertID) (\(event.rule), \(event.priority), \(event.source), resident \(event.resident ?? "unassigned")) not acknowledged: escalated to tier \(event.tier ?? 0) (\(who))")
            case .raised:
                logger.warning("device \(event.source) has been silent too long: alert \(event.alertID) (\(event.rule))")
            default:
                break
            }
        }
    }

    /// Takes a new rules file's book, with the registry's per-resident limits added; open alerts
    /// and counters carry over. Returns the limits that could not be taken.
    func replaceRules(_ book: RuleBook) -> [String] {
        state.withLock { s in
            s.stationRules = book
            let (merged, warnings) = ResidentLimits.merge(book, s.registry)
            s.engine.replaceRules(merged)
            return warnings
        }
    }

    /// Takes a changed registry: readings from now on are attributed by it, the residents' limits
    /// apply, and the `device.unregistered` alerts of devices it now knows resolve. Returns the
    /// limits that could not be taken.
    func replaceRegistry(_ registry: Registry) -> [String] {
        let micros = clock.nowMicros()
        return state.withLock { s in
            s.lastArrival = max(micros, s.lastArrival + 1)
            s.registry = registry
            let (merged, warnings) = ResidentLimits.merge(s.stationRules, registry)
            if merged != s.engine.rules { s.engine.replaceRules(merged) }
            let events = s.engine.registered({ registry.devices[$0] != nil }, now: s.lastArrival / 1000)
            if !events.isEmpty {
                commit(events, cause: .registry, arrival: s.lastArrival, topic: "", payload: UnsafeRawBufferPointer(start: nil, count: 0), decoded: nil)
            }
            return warnings
        }
    }

    /// Spools the message and its events (durable before the callback returns), publishes the
    /// events, and queues all of it for the store. Called with the engine's lock held.
    private func commit(_ events: [AlertEvent], cause: AlertCause, arrival: Int64, topic: String,
                        payload: UnsafeRawBufferPointer, decoded: DecodedMessage?) {
        let alertJSON = events.map { $0.json().bytes }
        let segment: Int
        let bytes = SpoolRecord.size(topic: topic, payloadBytes: payload.count, alertJSON: alertJSON)
        let record = { (body: UnsafeMutableRawBufferPointer) in
            SpoolRecord.write(arrival: arrival, topic: topic, payload: payload, alerts: events, cause: cause,
                              alertJSON: alertJSON, into: body)
        }
        do {
            do {
                segment = try spool.append(bytes: bytes, record)
            } catch where error.isFull {
                // Both segments wait for the writer: let it commit, which frees the older one.
                writer.flush()
                segment = try spool.append(bytes: bytes, record)
            }
        } catch {
            // Never acknowledge what is not durable: without the spool, this message waits for
            // its SQLite commit before the callback returns (and so before the PUBACK).
            counters.spoolFailures.add(1, ordering: .relaxed)
            logger.error("\(error); storing this message synchronously instead")
            segment = -1
        }
        // Spooled first, published second: an alert a nurse has seen is in the record even if
        // the gateway crashes the next instant.
        if !events.isEmpty { publishAlerts(events, alertJSON) }

        // The spool segment goes with the message's last item: its record is committed with it.
        var last: StoreItem?
        decoded?.storeItems(arrival: arrival, topic: topic, payload: payload) { item in
            if let earlier = last { writer.submit(earlier, token: -1) }
            last = item
        }
        if let last {
            writer.submit(last, token: events.isEmpty ? segment : -1)
        }
        for (i, event) in events.enumerated() {
            writer.submit(.alert(event, json: String(decoding: alertJSON[i], as: UTF8.self), cause: cause),
                          token: i == events.count - 1 ? segment : -1)
        }
        if segment < 0 { writer.flush() }
    }

    private func publishAlerts(_ events: [AlertEvent], _ json: [[UInt8]]) {
        guard let client = publisher.withLock({ $0 }) else { return }
        counters.alertEvents.add(events.count, ordering: .relaxed)
        for (event, payload) in zip(events, json) {
            do {
                try client.publish("care/\(event.source.station)/alerts", payload: payload, qos: 1)
            } catch {
                // Queued by libmosquitto even while disconnected; an error here is a local fault.
                logger.error("could not publish alert \(event.alertID) (\(event.rule)): \(error)")
            }
        }
    }
}
