import AlertEngine
import DeviceProfiles
import Foundation
import Logging
import MQTT
import Storage
import Synchronization
import Telemetry

/// The running gateway: the store's writer, the spool, the pipeline with its engine restored from
/// the store, the ticker that runs the engine's timers, and the MQTT client, started in that order
/// and stopped in reverse.
public final class Gateway: Sendable {
    public let configuration: Configuration
    public let counters = Counters()
    private let logger: Logger
    private let writer: StoreWriter
    private let spool: Spool
    private let pipeline: Pipeline
    private let client: MQTTClient
    /// Publishes the alert events, on a connection of its own (`alertClientID`).
    private let alertClient: MQTTClient
    private let ticker: Ticker
    private let registryWatcher: RegistryWatcher
    /// The topic filters subscribed to: every profile's topics for the configured stations.
    public let subscriptions: [String]

    /// Reads the rules, opens the database (migrating it), stores what the spool kept from an
    /// earlier run, restores the engine's open alerts and per-stream state from the store, and
    /// prepares the MQTT client. Nothing is received until `start()`.
    public init(configuration: Configuration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let book = try configuration.rulesFile.map { path throws(ConfigurationError) in try RulesFile.load(path) } ?? .defaults
        let profiles = try configuration.profileSet()
        let subscriptions = profiles.subscriptions(stations: configuration.stations)
        self.subscriptions = subscriptions
        let spoolBase = configuration.databasePath
        let left = try Spool.recover(basePath: spoolBase)
        let spoolBox = SpoolBox()
        let failureLogger = logger
        writer = try StoreWriter(
            path: configuration.databasePath, options: configuration.writer,
            onCommit: { tokens in spoolBox.spool?.committed(segments: tokens) },
            onFailure: { error in failureLogger.error("storing a batch failed, retrying: \(error)") })
        let registryReader = try StoreReader(path: configuration.databasePath)
        let registryVersion = try registryReader.registryVersion()
        let registry = try registryReader.registry()
        if !left.isEmpty {
            let replayed = SpoolRecovery.replay(left, profiles: profiles, registry: registry, into: writer)
            logger.notice("stored \(replayed.messages) messages kept in the spool by the previous run\(replayed.damaged > 0 ? " (\(replayed.damaged) damaged records skipped)" : "")")
        }
        spool = try Spool(basePath: spoolBase)
        spoolBox.spool = spool
        var engine = AlertEngine(rules: ResidentLimits.merge(book, registry).book, escalation: configuration.onCall.policy)
        let restored = try EngineRestore.restore(&engine, from: configuration.databasePath)
        if restored.alerts > 0 || restored.devices > 0 {
            logger.notice("restored \(restored.alerts) open alerts and the state of \(restored.devices) devices from the store")
        }
        if !registry.isEmpty {
            logger.notice("registry: \(registry.residents.count) residents, \(registry.devices.count) devices")
        }
        pipeline = Pipeline(engine: engine, stationRules: book, registry: registry, profiles: profiles,
                            tiers: configuration.onCall.tiers, writer: writer, spool: spool, logger: logger, counters: counters)
        registryWatcher = RegistryWatcher(reader: registryReader, version: registryVersion, pipeline: pipeline, logger: logger)
        ticker = Ticker(pipeline: pipeline, registry: registryWatcher)

        let options = ClientOptions(
            broker: configuration.broker, clientID: configuration.clientID, cleanSession: false,
            keepAliveSeconds: configuration.keepAliveSeconds, username: configuration.username,
            password: configuration.password, tls: configuration.tls,
            reconnectDelay: (1, UInt32(configuration.reconnectDelayMaxSeconds)))
        let pipeline = pipeline
        let connectionLogger = logger
        let broker = configuration.broker
        let filters = subscriptions.joined(separator: ", ")
        client = try MQTTClient(
            options: options,
            onMessage: { message in pipeline.handle(topic: message.topicString, payload: message.payload) },
            onConnection: { event in
                switch event {
                case .connected: connectionLogger.notice("connected to \(broker)")
                case .refused(let reason): connectionLogger.error("the broker at \(broker) refused the connection: \(reason)")
                case .subscribed(let granted) where granted.contains(128):
                    connectionLogger.error("the broker refused a subscription (check its ACL for this client): granted \(granted)")
                case .subscribed: connectionLogger.notice("subscribed to \(filters)")
                case .failed(let reason, let delay):
                    connectionLogger.error("\(reason); retrying in \(Int(delay)) s")
                case .disconnected(true, _): connectionLogger.info("disconnected from \(broker)")
                case .disconnected(false, let reason):
                    connectionLogger.warning("lost the connection to \(broker) (\(reason)); reconnecting with backoff")
                }
            })
        // Alert events leave on a connection of their own. The broker reads a connection one
        // packet a round: on the one that receives a backlog, an alert waited behind every
        // PUBACK the gateway had sent before it, seconds in a drain of 200,000 messages.
        let alertClientID = Self.alertClientID(configuration.clientID)
        alertClient = try MQTTClient(
            options: ClientOptions(
                broker: configuration.broker, clientID: alertClientID, cleanSession: true,
                keepAliveSeconds: configuration.keepAliveSeconds, username: configuration.username,
                password: configuration.password, tls: configuration.tls,
                reconnectDelay: (1, UInt32(configuration.reconnectDelayMaxSeconds)),
                // An alert never waits for the broker's PUBACK of the one before.
                maxInflightMessages: 0),
            onMessage: { _ in },
            onConnection: { event in
                switch event {
                case .connected: connectionLogger.info("alert events go out through \(broker) as \(alertClientID)")
                case .refused(let reason): connectionLogger.error("the broker at \(broker) refused \(alertClientID), which publishes the alert events: \(reason)")
                case .failed(let reason, let delay): connectionLogger.error("alert events: \(reason); retrying in \(Int(delay)) s")
                case .disconnected(false, let reason):
                    connectionLogger.warning("lost the alert events' connection to \(broker) (\(reason)); reconnecting with backoff")
                case .disconnected(true, _), .subscribed: break
                }
            })
        pipeline.publish(through: alertClient)
        // Devices registered while the gateway was stopped: their device.unregistered resolves
        // now, published (libmosquitto queues it until connected) as well as stored.
        for warning in pipeline.replaceRegistry(registry) { logger.warning("\(warning)") }
        try client.subscribe(subscriptions, qos: 1)
    }

    /// Starts connecting and receiving; a broker that is not there yet is retried with backoff.
    public func start() throws {
        logger.notice("caregate listening on \(configuration.broker) for \(subscriptions.joined(separator: ", ")), storing to \(configuration.databasePath)")
        ticker.start()
        try alertClient.start()
        try client.start()
    }

    /// The client id the alert events are published under: the gateway's own, with `-alerts`.
    public static func alertClientID(_ clientID: String) -> String {
        clientID + "-alerts"
    }

    /// Reads the rules file again (SIGHUP). A file with an error is refused with its reason and
    /// the running rules stay; returns whether the new rules were taken.
    @discardableResult
    public func reloadRules() -> Bool {
        guard let path = configuration.rulesFile else {
            logger.notice("reload: no rules file is configured (rules.file); the built-in rules stay")
            return true
        }
        do {
            let book = try RulesFile.load(path)
            for warning in pipeline.replaceRules(book) { logger.warning("\(warning)") }
            logger.notice("reloaded the rules from \(path): \(book.families.count) families, \(book.overrides.count) overrides")
            return true
        } catch {
            logger.error("reload refused, the running rules stay: \(error)")
            return false
        }
    }

    /// Disconnects cleanly, then commits what is queued. Unacknowledged messages stay with the
    /// broker; the alert events already published are given a moment to reach it.
    public func stop() {
        client.stop()
        ticker.stop()
        if alertClient.isConnected && !alertClient.waitUntilDelivered(timeoutSeconds: 2) {
            let (published, acknowledged) = alertClient.deliveries
            logger.warning("stopping with \(published - acknowledged) alert events the broker has not acknowledged; they are stored (caregate query alerts)")
        }
        alertClient.stop()
        writer.close()
        logger.notice("caregate stopped: \(counters.summary)")
    }

    /// Handles a message as if the broker had delivered it (for replays and benchmarks).
    public func ingest(topic: String, payload: UnsafeRawBufferPointer) {
        pipeline.handle(topic: topic, payload: payload)
    }

    /// Waits until every message handled so far is committed to SQLite.
    public func flush() {
        writer.flush()
    }
}

/// The spool is made after the writer (whose commit handler needs it), so the handler reads it
/// through this box, set once before any commit of live data.
private final class SpoolBox: Sendable {
    private let value = Mutex<Spool?>(nil)
    var spool: Spool? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
