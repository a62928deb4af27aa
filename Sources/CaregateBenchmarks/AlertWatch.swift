import Foundation
import MQTT
import Synchronization

/// A nurse's tool on the alerts topic during a benchmark: how long each alert event took from
/// the gateway emitting it (its `at`) to arriving here, in milliseconds of the wall clock.
final class AlertWatch: Sendable {
    private final class Delays: Sendable {
        let values = Mutex<[Double]>([])
    }

    private let delays = Delays()
    private let client: MQTTClient

    init(broker: BrokerURL, filter: String) throws {
        let delays = self.delays
        let subscribed = Atomic<Bool>(false)
        client = try MQTTClient(
            options: ClientOptions(broker: broker, clientID: "bench-nurse-\(getpid())", cleanSession: true),
            onMessage: { message in
                let now = Date().timeIntervalSince1970 * 1_000
                guard let at = Self.emittedAt(message.payload) else { return }
                delays.values.withLock { $0.append(now - Double(at)) }
            },
            onConnection: { event in if case .subscribed = event { subscribed.store(true, ordering: .relaxed) } })
        try client.subscribe(filter, qos: 1)
        try client.start()
        for _ in 0..<500 where !subscribed.load(ordering: .relaxed) { usleep(10_000) }
        // Without the subscription every round would report 'no alert events', as if none came.
        // (deinit stops the client.)
        guard subscribed.load(ordering: .relaxed) else { throw BenchmarkError.undelivered }
    }

    deinit { client.stop() }

    /// The delays so far, and forgets them.
    func take() -> [Double] {
        delays.values.withLock { taken in defer { taken = [] }; return taken }
    }

    /// The event's `at`, ms since the epoch.
    static func emittedAt(_ payload: UnsafeRawBufferPointer) -> Int64? {
        let text = String(decoding: payload, as: UTF8.self)
        guard let key = text.range(of: "\"at\":") else { return nil }
        return Int64(text[key.upperBound...].prefix { $0.isNumber })
    }

    /// "N events, p50 X ms, p99 Y ms, max Z ms".
    static func summary(_ delays: [Double]) -> String {
        guard !delays.isEmpty else { return "no alert events" }
        let sorted = delays.sorted()
        return "\(sorted.count) alert events, from emitted to the nurse p50 \(format(percentile(sorted, 50), 1)) ms, "
            + "p99 \(format(percentile(sorted, 99), 1)) ms, max \(format(sorted.last!, 1)) ms"
    }
}
