import ArgumentParser
import CommandContract
import Foundation
import Gateway
import Logging
import MQTT
import Storage
import Telemetry

/// `caregate demo`: a local broker, the gateway, a simulated station and a live view of the alerts.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A self-contained demonstration: local broker, gateway, simulated station, live alerts. Ctrl-C stops it.")

    @Option(name: .long, help: "Stop after this many seconds (default: run until Ctrl-C).")
    var seconds: Int?

    @Option(name: .long, help: "Folder for the demo's broker config, log and database (default: a new temporary folder).")
    var directory: String?

    func run() throws {
        let dir = directory ?? NSTemporaryDirectory() + "caregate-demo-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let station = "st01"
        let broker: LocalBroker
        do {
            broker = try LocalBroker(directory: dir)
        } catch {
            throw Failure("caregate demo: cannot start the local broker: \(error)")
        }
        var configuration = Configuration(stations: [station])
        configuration.broker = broker.url
        configuration.databasePath = "\(dir)/caregate.db"
        configuration.clientID = "caregate-demo"
        let demo = DemoStation(station: station)
        do {
            // The demo's residents and their devices, theirs from a day ago (a re-run changes nothing).
            let now = SystemClock().nowMillis()
            _ = try RegistryStore(path: configuration.databasePath).apply(demo.registryEntries(from: now - now % 86_400_000 - 86_400_000), now: now)
        } catch {
            throw Failure("caregate demo: cannot register the demo's residents: \(error)")
        }
        let gateway = try Gateway(configuration: configuration, logger: Logger(label: "caregate"))
        try gateway.start()

        let view = try AlertView(broker: broker.url, station: station, names: demo)
        print("""
            Caregate demo: station \(station), \(demo.residents.count) residents, broker \(broker.url)
              watch the alerts:  mosquitto_sub -h 127.0.0.1 -p \(broker.port) -t 'care/\(station)/alerts' -v
              watch everything:  mosquitto_sub -h 127.0.0.1 -p \(broker.port) -t 'care/#' -v
              query readings:    caregate query readings --device bp-0001 --db \(configuration.databasePath)
              the residents:     caregate residents list --db \(configuration.databasePath); residents show r-0003 for one
              the devices:       caregate devices list --db \(configuration.databasePath)
              query alerts:      caregate query alerts --db \(configuration.databasePath)
              rejected messages: caregate query rejected --db \(configuration.databasePath)
              the open board:    caregate alerts list --db \(configuration.databasePath)
              acknowledge one:   caregate alerts ack ID --by YOUR-NAME --mqtt-url \(broker.url) --db \(configuration.databasePath)
            A high-priority alert stays on the board until acknowledged; unacknowledged, it escalates after 2 minutes.
            Ctrl-C stops everything.

            """)
        let traffic = try DemoTraffic(broker: broker.url, demo: demo)
        traffic.start()

        if let seconds {
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) { kill(getpid(), SIGTERM) }
        }
        SignalWaiter.waitForTermination()
        traffic.stop()
        gateway.flush()
        view.stop()
        gateway.stop()
        broker.stop()
        print("\nStopped. \(traffic.sent) messages sent, \(view.received) alert events seen; the database stays at \(configuration.databasePath)")
    }
}
