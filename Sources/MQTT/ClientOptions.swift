/// How to reach and log in to the broker.
public struct ClientOptions: Sendable {
    public var broker: BrokerURL
    /// A stable id: with `cleanSession == false` the broker keeps the session (subscriptions and
    /// queued QoS 1 messages) under this id while the client is away.
    public var clientID: String
    public var cleanSession: Bool
    public var keepAliveSeconds: Int
    public var username: String?
    public var password: String?
    public var tls: TLSOptions?
    /// First reconnect delay and the ceiling of the exponential backoff, in seconds.
    public var reconnectDelay: (initial: UInt32, max: UInt32)
    /// QoS 1 messages this client sends before it waits for acknowledgements; 0 for no limit.
    public var maxInflightMessages: UInt32
    /// While a backlog is read, the PUBACKs of up to this many messages leave in one write
    /// (`AcknowledgementBatch`); 1 sends each at once.
    public var acknowledgementBatch: Int

    public init(broker: BrokerURL, clientID: String, cleanSession: Bool = false, keepAliveSeconds: Int = 30,
                username: String? = nil, password: String? = nil, tls: TLSOptions? = nil,
                reconnectDelay: (initial: UInt32, max: UInt32) = (1, 30), maxInflightMessages: UInt32 = 20, acknowledgementBatch: Int = 16) {
        self.maxInflightMessages = maxInflightMessages
        self.acknowledgementBatch = acknowledgementBatch
        self.broker = broker
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepAliveSeconds = keepAliveSeconds
        self.username = username
        self.password = password
        self.tls = tls
        self.reconnectDelay = reconnectDelay
    }
}

/// TLS settings passed to `mosquitto_tls_set`.
public struct TLSOptions: Sendable, Equatable {
    /// PEM file of the certificate authorities that signed the broker's certificate.
    public var caFile: String?
    /// Directory of CA certificates (c_rehash layout), used when `caFile` is nil.
    public var caPath: String?
    /// The client's own certificate and key (PEM), for brokers that require client certificates.
    public var certFile: String?
    public var keyFile: String?
    /// Skip the check that the broker's certificate names the host. For test benches only.
    public var insecure: Bool

    public init(caFile: String? = nil, caPath: String? = nil, certFile: String? = nil, keyFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.caPath = caPath
        self.certFile = certFile
        self.keyFile = keyFile
        self.insecure = insecure
    }
}
