/// A message as libmosquitto hands it over. The payload points into libmosquitto's buffer and
/// is valid only while the handler runs: decode it there, never keep the pointer.
public struct InboundMessage {
    public let topic: UnsafePointer<CChar>
    public let payload: UnsafeRawBufferPointer
    public let qos: Int32
    public let retained: Bool

    init(topic: UnsafePointer<CChar>, payload: UnsafeRawBufferPointer, qos: Int32, retained: Bool) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retained = retained
    }

    /// The topic as a Swift string.
    public var topicString: String { String(cString: topic) }
}

/// What happened to the connection, for logs and metrics.
public enum ConnectionEvent: Sendable, Equatable {
    /// Connected (or reconnected); `sessionPresent` is unknown with MQTT 3.1.1 callbacks.
    case connected
    /// The broker refused the connection; `reason` is libmosquitto's CONNACK text.
    case refused(reason: String)
    /// The broker answered a subscription: the QoS granted per filter, 128 (0x80) where it refused.
    case subscribed(grantedQoS: [Int32])
    /// Connecting failed or the loop gave up (TLS, DNS, login); the client tries again after the delay.
    case failed(reason: String, retryInSeconds: Double)
    /// The connection dropped; libmosquitto reconnects with backoff unless we asked for it.
    case disconnected(expected: Bool, reason: String)
}
