import Foundation
import MQTT
import Synchronization

/// A subscriber that keeps every message it receives, for assertions.
public final class CollectingSubscriber: Sendable {
    public struct Message: Sendable {
        public var topic: String
        public var payload: [UInt8]
        /// When it arrived, µs on the monotonic clock.
        public var receivedMicros: Int64
        public var text: String { String(decoding: payload, as: UTF8.self) }
        public var json: [String: Any]? {
            try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
        }
    }

    private final class State: Sendable {
        let messages = Mutex<[Message]>([])
        let connected = Atomic<Bool>(false)
        let subscribed = Atomic<Bool>(false)
    }

    private let state = State()
    private let client: MQTTClient

    /// Subscribes to `filter` on `broker` and waits until the subscription is in place.
    public init(broker: BrokerURL, filter: String, clientID: String = "test-sub-\(UUID().uuidString.prefix(8))") throws {
        let state = self.state
        client = try MQTTClient(
            options: ClientOptions(broker: broker, clientID: clientID, cleanSession: true),
            onMessage: { m in
                let message = Message(topic: m.topicString, payload: Array(m.payload), receivedMicros: MonotonicClock.micros())
                state.messages.withLock { $0.append(message) }
            },
            onConnection: { event in
                switch event {
                case .connected: state.connected.store(true, ordering: .relaxed)
                case .subscribed: state.subscribed.store(true, ordering: .relaxed)
                default: break
                }
            })
        try client.subscribe(filter, qos: 1)
        try client.start()
        guard Waiting.until(timeoutSeconds: 10, { state.subscribed.load(ordering: .relaxed) }) else {
            throw LocalTestError("subscriber could not connect to \(broker) and subscribe")
        }
    }

    deinit { client.stop() }

    /// Everything received so far.
    public var received: [Message] { state.messages.withLock { $0 } }

    /// Waits until at least `count` messages have arrived; returns them.
    @discardableResult
    public func waitFor(count: Int, timeoutSeconds: Double = 10) -> [Message] {
        Waiting.until(timeoutSeconds: timeoutSeconds) { state.messages.withLock { $0.count } >= count }
        return received
    }
}

/// A device-side publisher at QoS 1.
public final class TestPublisher: Sendable {
    public let client: MQTTClient

    public init(broker: BrokerURL, clientID: String = "test-pub-\(UUID().uuidString.prefix(8))") throws {
        let connected = Flag()
        client = try MQTTClient(options: ClientOptions(broker: broker, clientID: clientID, cleanSession: true, maxInflightMessages: 0),
                                onMessage: { _ in },
                                onConnection: { event in if event == .connected { connected.set() } })
        try client.start()
        guard Waiting.until(timeoutSeconds: 10, { connected.isSet }) else {
            throw LocalTestError("publisher could not connect to \(broker)")
        }
    }

    deinit { client.stop() }

    /// Publishes `payload` (text) to `topic` at QoS 1.
    public func send(_ topic: String, _ payload: String) throws {
        try client.publish(topic, payload: Array(payload.utf8), qos: 1)
    }

    /// Publishes raw bytes.
    public func send(_ topic: String, bytes: [UInt8]) throws {
        try client.publish(topic, payload: bytes, qos: 1)
    }

    /// Waits for the broker's PUBACK of everything sent.
    public func waitUntilDelivered() throws {
        guard client.waitUntilDelivered(timeoutSeconds: 15) else { throw LocalTestError("the broker did not acknowledge every message") }
    }
}

public struct LocalTestError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Monotonic microseconds, for latency measurements.
public enum MonotonicClock {
    public static func micros() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Int64(t.tv_sec) * 1_000_000 + Int64(t.tv_nsec) / 1000
    }
}

/// A flag set once from any thread.
public final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    public init() {}
    public func set() { value.store(true, ordering: .releasing) }
    public var isSet: Bool { value.load(ordering: .acquiring) }
}
