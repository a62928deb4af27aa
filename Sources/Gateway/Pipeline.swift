import AlertEngine
import Logging
import MQTT
import Storage
import Synchronization
import Telemetry

/// The path of one message, run on libmosquitto's network thread: decode → engine → spool
/// (durable before the callback returns, and so before the PUBACK) → publish the alert events →
/// the writer's next batch.
public final class Pipeline: Sendable {
    private struct State {
        var engine: AlertEngine
        var lastArrival: Int64 = 0
    }

    private let state: Mutex<State>
    private let writer: StoreWriter
    private let spool: Spool
    private let clock: SystemClock
    private let logger: Logger
    private let rejections: RejectionLog
    /// What the gateway has counted.
    public let counters: Counters
    private let publisher = Mutex<MQTTClient?>(nil)

    init(engine: AlertEngine, writer: StoreWriter, spool: Spool, logger: Logger, counters: Counters) {
        state = Mutex(State(engine: engine))
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
        let decoded = DecodedMessage(topic: topic, payload: payload)
        if case .acknowledgement = decoded {
            // Acknowledgements arrive with the alert engine's lifecycle (issue 3).
            return
        }
        var events: [AlertEvent] = []
        let (arrival, duplicate): (Int64, Bool) = state.withLock { s in
            s.lastArrival = max(micros, s.lastArrival + 1)
            guard case .reading(let reading) = decoded else { return (s.lastArrival, false) }
            let result = s.engine.ingest(reading, now: s.lastArrival / 1000)
            if result.gap > 0 { counters.gaps.add(Int(result.gap), ordering: .relaxed) }
            events = result.events
            return (s.lastArrival, result.duplicate)
        }
        if duplicate {
            // The same device, stream, seq and ts again: a QoS 1 redelivery, already spooled.
            counters.duplicates.add(1, ordering: .relaxed)
            return
        }
        let now = arrival / 1000

        let alertJSON = events.map { $0.json().bytes }
        let segment: Int
        do {
            segment = try spool.append { buffer in
                SpoolRecord.write(arrival: arrival, topic: topic, payload: payload, alerts: events, alertJSON: alertJSON, into: &buffer)
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

        if case .rejected(let rejection) = decoded {
            counters.rejected.add(1, ordering: .relaxed)
            rejections.record(kind: rejection.kind.rawValue, source: rejectionSource(topic: topic), reason: rejection.description, now: now)
        }
        // The spool segment goes with the message's last item: its record is committed with it.
        if let item = decoded.storeItem(arrival: arrival, topic: topic, payload: payload) {
            writer.submit(item, token: events.isEmpty ? segment : -1)
        }
        for (i, event) in events.enumerated() {
            writer.submit(.alertEvent(json: String(decoding: alertJSON[i], as: UTF8.self), number: event.number),
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
