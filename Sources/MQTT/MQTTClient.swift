import CMosquitto
import CBrokerSocket
import Dispatch
import Foundation
import Synchronization
import ThreadName

/// A small typed client over libmosquitto.
///
/// One network thread of the client's own drives libmosquitto's read, write and keep-alive
/// steps (`MQTTClient+Connection.swift`) and runs `onMessage` for every message. In
/// libmosquitto's threaded mode the PUBACK of a QoS 1 message is only queued while the handler
/// runs and leaves after it returns, so what the handler makes durable before returning
/// survives a crash of the process. The client reconnects with exponential backoff, also after the errors libmosquitto's
/// own loop gives up on, and subscribes again on every connect.
public final class MQTTClient: Sendable {
    /// Called on libmosquitto's network thread for every message; keep it short and non-blocking
    /// unless blocking is the point (back-pressure).
    public typealias MessageHandler = @Sendable (InboundMessage) -> Void
    /// Called on the network thread when the connection changes.
    public typealias ConnectionHandler = @Sendable (ConnectionEvent) -> Void

    /// libmosquitto's client; its calls are thread-safe with the threaded interface.
    nonisolated(unsafe) let handle: OpaquePointer
    let options: ClientOptions
    let onMessage: MessageHandler
    let onConnection: ConnectionHandler
    let subscriptions = Mutex<[(filters: [String], qos: Int32)]>([])
    let stopping = Atomic<Bool>(false)
    /// The broker accepted the current connection (CONNACK 0) since the last attempt began.
    let established = Atomic<Bool>(false)
    let published = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    let acknowledged = Atomic<Int>(0)
    private let started = Atomic<Bool>(false)
    private let loopEnded = DispatchSemaphore(value: 0)
    /// A pipe other threads write a byte to, to wake the network thread waiting in `poll`:
    /// its read end, then its write end.
    let wakePipe: (read: Int32, write: Int32)
    /// The network thread is in `poll` or about to be: another thread that queued a packet must
    /// wake it. Set before the thread's last look at libmosquitto's queue, so that either that
    /// look sees the packet or the other thread sees the flag.
    let pollWaiting = Atomic<Bool>(false)
    /// Batches libmosquitto's reads and held writes on the connection's socket (`CBrokerSocket`);
    /// only the network thread uses it.
    nonisolated(unsafe) let brokerSocket: OpaquePointer

    /// Creates the client and applies every option; nothing is sent until `start()`.
    public init(options: ClientOptions,
                onMessage: @escaping MessageHandler,
                onConnection: @escaping ConnectionHandler = { _ in }) throws(MQTTError) {
        MQTTLibrary.initialise()
        guard let mosq = Self.withoutSelfWakePipe({ mosquitto_new(options.clientID, options.cleanSession, nil) }) else {
            throw MQTTError(code: Int32(MOSQ_ERR_NOMEM.rawValue), operation: "create client \(options.clientID)")
        }
        self.handle = mosq
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 || ends.contains(where: { fcntl($0, F_SETFL, O_NONBLOCK) != 0 || fcntl($0, F_SETFD, FD_CLOEXEC) != 0 }) {
            ends.filter { $0 >= 0 }.forEach { close($0) }
            mosquitto_destroy(mosq)
            throw MQTTError(code: Int32(MOSQ_ERR_ERRNO.rawValue), operation: "create the network thread's wake-up pipe")
        }
        guard let brokerSocket = caregate_broker_socket_create() else {
            ends.forEach { close($0) }
            mosquitto_destroy(mosq)
            throw MQTTError(code: Int32(MOSQ_ERR_NOMEM.rawValue), operation: "create the broker socket's buffers")
        }
        self.brokerSocket = brokerSocket
        wakePipe = (ends[0], ends[1])
        self.options = options
        self.onMessage = onMessage
        self.onConnection = onConnection
        // Every stored property is set: if this throws, deinit runs and destroys the handle.
        try configure()
        // The context is unretained: `deinit` destroys the handle (and so its callbacks) first.
        mosquitto_user_data_set(mosq, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_connect_callback_set(mosq, caregateOnConnect)
        mosquitto_disconnect_callback_set(mosq, caregateOnDisconnect)
        mosquitto_message_callback_set(mosq, caregateOnMessage)
        mosquitto_publish_callback_set(mosq, caregateOnPublish)
        mosquitto_subscribe_callback_set(mosq, caregateOnSubscribe)
    }

    private func configure() throws(MQTTError) {
        // Without TCP_NODELAY an alert after a burst waits ~40 ms for Nagle (DESIGN.md).
        try MQTTError.check(mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1), "set TCP_NODELAY")
        try MQTTError.check(
            mosquitto_reconnect_delay_set(handle, options.reconnectDelay.initial, options.reconnectDelay.max, true),
            "set reconnect delay")
        try MQTTError.check(mosquitto_max_inflight_messages_set(handle, options.maxInflightMessages), "set max inflight messages")
        if options.username != nil || options.password != nil {
            try MQTTError.check(mosquitto_username_pw_set(handle, options.username, options.password), "set username and password")
        }
        if let tls = options.tls ?? (options.broker.usesTLS ? TLSOptions() : nil) {
            let caPath = tls.caFile == nil && tls.caPath == nil ? "/etc/ssl/certs" : tls.caPath
            try MQTTError.check(
                mosquitto_tls_set(handle, tls.caFile, caPath, tls.certFile, tls.keyFile, nil),
                "load TLS files (CA \(tls.caFile ?? caPath ?? "-"), certificate \(tls.certFile ?? "-"), key \(tls.keyFile ?? "-"))")
            if tls.insecure {
                try MQTTError.check(mosquitto_tls_insecure_set(handle, true), "disable TLS host name check")
            }
        }
    }

    deinit {
        mosquitto_destroy(handle)
        caregate_broker_socket_destroy(brokerSocket)
        close(wakePipe.read)
        close(wakePipe.write)
    }

    /// Subscribes to `filter` now if connected, and again after every reconnect.
    public func subscribe(_ filter: String, qos: Int32 = 1) throws(MQTTError) {
        try subscribe([filter], qos: qos)
    }

    /// Subscribes to all of `filters` in one SUBSCRIBE (one SUBACK answers them together), now if
    /// connected, and again after every reconnect.
    public func subscribe(_ filters: [String], qos: Int32 = 1) throws(MQTTError) {
        subscriptions.withLock { $0.append((filters, qos)) }
        let rc = Self.subscribe(handle, filters, qos)
        wakeFromOtherThread()
        // Not connected yet: the connect callback subscribes.
        if rc != Int32(MOSQ_ERR_NO_CONN.rawValue) {
            try MQTTError.check(rc, "subscribe to \(filters.joined(separator: ", "))")
        }
    }

    /// Runs `body` (a libmosquitto call that may open its self-wake pipe) with socket pairs
    /// refused on this thread: without that pipe libmosquitto writes no byte to it for every
    /// packet it queues (a PUBACK a message), and this client wakes its network thread through a
    /// pipe of its own.
    static func withoutSelfWakePipe<T>(_ body: () -> T) -> T {
        caregate_broker_socket_refuse_socket_pairs(1)
        defer { caregate_broker_socket_refuse_socket_pairs(0) }
        return body()
    }

    /// `mosquitto_subscribe_multiple` over Swift strings.
    static func subscribe(_ handle: OpaquePointer?, _ filters: [String], _ qos: Int32) -> Int32 {
        let copies = filters.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return copies.withUnsafeBufferPointer { list in
            mosquitto_subscribe_multiple(handle, nil, Int32(list.count), list.baseAddress, qos, 0, nil)
        }
    }

    /// Starts the network thread, which connects in the background and keeps the connection up
    /// until `stop()`: libmosquitto reconnects after a lost connection by itself, and this thread
    /// starts it again, with backoff, after the errors libmosquitto gives up on (a failed TLS
    /// handshake, a failed DNS lookup, a refused login), logging each through `onConnection`.
    public func start() throws(MQTTError) {
        guard !started.exchange(true, ordering: .acquiring) else { return }
        // With our own thread, this keeps libmosquitto queueing packets (the PUBACK among them)
        // to be written after the message callback returns, as `mosquitto_loop_start` would.
        try MQTTError.check(mosquitto_threaded_set(handle, true), "set threaded mode")
        Thread { [self] in
            nameCurrentThread("caregate-mqtt")
            runNetworkLoop()
        }.start()
    }

    private func runNetworkLoop() {
        let broker = options.broker
        var delay = Double(options.reconnectDelay.initial)
        var first = true
        while !stopping.load(ordering: .acquiring) {
            // Later libmosquitto versions open the self-wake pipe again when connecting.
            var rc = Self.withoutSelfWakePipe {
                first
                    ? mosquitto_connect(handle, broker.host, Int32(broker.port), Int32(options.keepAliveSeconds))
                    : mosquitto_reconnect(handle)
            }
            first = false
            established.store(false, ordering: .releasing)
            // stop() may have come while connecting, and connecting resets libmosquitto's state.
            if stopping.load(ordering: .acquiring) {
                mosquitto_disconnect(handle)
                break
            }
            if rc == Int32(MOSQ_ERR_SUCCESS.rawValue) {
                rc = runConnection()
            }
            if stopping.load(ordering: .acquiring) { break }
            if established.load(ordering: .acquiring) {
                // A session the broker accepted, now lost: the disconnect callback has said so.
                // Back off from the first delay again.
                delay = Double(options.reconnectDelay.initial)
            } else {
                let error = MQTTError(code: rc, operation: "connect to \(broker)")
                onConnection(.failed(reason: error.description, retryInSeconds: delay))
            }
            // Sleep in small steps so that stop() is not kept waiting.
            var slept = 0.0
            while slept < delay && !stopping.load(ordering: .acquiring) {
                usleep(50_000)
                slept += 0.05
            }
            delay = min(delay * 2, Double(options.reconnectDelay.max))
        }
        loopEnded.signal()
    }

    /// Publishes `payload` to `topic`. Safe from any thread, including inside `onMessage`.
    public func publish(_ topic: String, payload: UnsafeRawBufferPointer, qos: Int32 = 1, retain: Bool = false) throws(MQTTError) {
        let rc = mosquitto_publish(handle, nil, topic, Int32(payload.count), payload.baseAddress, qos, retain)
        try MQTTError.check(rc, "publish to \(topic)")
        published.add(1, ordering: .relaxed)
        wakeFromOtherThread()
    }

    /// Messages published so far, and how many of them the broker has acknowledged (QoS 1) or
    /// libmosquitto has written (QoS 0).
    public var deliveries: (published: Int, acknowledged: Int) {
        (published.load(ordering: .relaxed), acknowledged.load(ordering: .relaxed))
    }

    /// The `write(2)` calls made to the broker's socket since the client started, once the broker
    /// accepted each connection: with `deliveries`, how well the PUBACKs of a backlog are batched.
    public var socketWrites: Int {
        Int(caregate_broker_socket_writes(brokerSocket))
    }

    /// Whether the broker has accepted the current connection (CONNACK).
    public var isConnected: Bool {
        established.load(ordering: .acquiring)
    }

    /// Waits until the broker has accepted the connection (CONNACK), or `timeoutSeconds` pass;
    /// publishing before that fails with "not connected".
    public func waitUntilConnected(timeoutSeconds: Double) -> Bool {
        var waited = 0.0
        while !established.load(ordering: .acquiring) {
            if waited >= timeoutSeconds { return false }
            usleep(2_000)
            waited += 0.002
        }
        return true
    }

    /// Waits until every message published so far is acknowledged, or `timeoutSeconds` pass;
    /// returns whether they all were.
    public func waitUntilDelivered(timeoutSeconds: Double) -> Bool {
        let target = published.load(ordering: .relaxed)
        var waited = 0.0
        while acknowledged.load(ordering: .relaxed) < target {
            if waited >= timeoutSeconds { return false }
            usleep(2_000)
            waited += 0.002
        }
        return true
    }

    /// Publishes `payload` to `topic`.
    public func publish(_ topic: String, payload: [UInt8], qos: Int32 = 1, retain: Bool = false) throws(MQTTError) {
        let rc = payload.withUnsafeBytes { bytes in
            mosquitto_publish(handle, nil, topic, Int32(bytes.count), bytes.baseAddress, qos, retain)
        }
        try MQTTError.check(rc, "publish to \(topic)")
        published.add(1, ordering: .relaxed)
        wakeFromOtherThread()
    }

    /// Disconnects cleanly and waits for the network thread to end. Messages not yet
    /// acknowledged stay with the broker (persistent session) and come again on the next start.
    public func stop() {
        guard started.load(ordering: .acquiring), !stopping.exchange(true, ordering: .acquiring) else { return }
        mosquitto_disconnect(handle)
        wakeFromOtherThread()
        if loopEnded.wait(timeout: .now() + 10) == .timedOut {
            // A connect blocked on an unreachable host: stop waiting; the process is going away.
            return
        }
    }
}

/// `mosquitto_lib_init` once per process.
enum MQTTLibrary {
    private static let once: Void = { _ = mosquitto_lib_init() }()
    static func initialise() { _ = once }
}
