import ArgumentParser
import CommandContract
import Foundation
import Gateway
import Logging
import MQTT

/// `caregate run`: the gateway, as the systemd service runs it.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway until SIGTERM or Ctrl-C.")

    @Option(name: .long, help: "YAML config file (see systemd/caregate.yaml for every option).")
    var config: String?

    @Option(name: .customLong("mqtt-url"), help: "Broker, mqtt://HOST:PORT or mqtts://HOST:PORT.")
    var mqttURL: String?

    @Option(name: .long, help: "SQLite database file.")
    var db: String?

    @Option(name: .long, help: "Station id, a comma-separated list, or + for every station.")
    var station: String?

    @Option(name: .customLong("client-id"), help: "MQTT client id (stable, so the broker keeps the session).")
    var clientID: String?

    func run() throws {
        let configuration = try resolvedConfiguration()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "caregate")
        let gateway: Gateway
        do {
            gateway = try Gateway(configuration: configuration, logger: logger)
            try gateway.start()
        } catch {
            throw Failure("caregate: cannot start: \(error)")
        }
        SignalWaiter.waitForTermination(onReload: { gateway.reloadRules() })
        gateway.stop()
    }

    /// The config file, then the flags on top.
    func resolvedConfiguration() throws -> Configuration {
        var configuration = try Configuration.resolve(config: config, mqttURL: mqttURL, db: db)
        do {
            if let station { configuration.stations = try Configuration.parseStations(station) }
        } catch {
            throw UsageError("caregate: \(error)")
        }
        if let clientID { configuration.clientID = clientID }
        if configuration.tls != nil && !configuration.broker.usesTLS {
            throw UsageError("caregate: mqtt.tls is set but the broker URL \(configuration.broker) is plain MQTT; use mqtts://")
        }
        if config == nil && station == nil {
            throw UsageError("caregate: say which station to serve: --station ID (or a config file with station:)")
        }
        return configuration
    }
}

/// Blocks until SIGTERM or SIGINT; SIGHUP calls `onReload` (systemctl reload).
enum SignalWaiter {
    static func waitForTermination(onReload: (@Sendable () -> Void)? = nil) {
        let semaphore = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        if let onReload {
            signal(SIGHUP, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
            source.setEventHandler { onReload() }
            source.resume()
            sources.append(source)
        }
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { semaphore.signal() }
            source.resume()
            sources.append(source)
        }
        semaphore.wait()
        sources.forEach { $0.cancel() }
    }
}

extension Configuration {
    /// The config file if one is given, then `--mqtt-url` and `--db` on top; mistakes are usage errors.
    static func resolve(config: String?, mqttURL: String?, db: String?) throws -> Configuration {
        var configuration = Configuration()
        do {
            if let config { configuration = try Configuration.load(file: config) }
        } catch {
            throw UsageError("caregate: \(error)")
        }
        if let mqttURL {
            guard let url = BrokerURL(mqttURL) else { throw UsageError("caregate: --mqtt-url must look like mqtt://HOST:PORT") }
            configuration.broker = url
        }
        if let db { configuration.databasePath = db }
        return configuration
    }
}
