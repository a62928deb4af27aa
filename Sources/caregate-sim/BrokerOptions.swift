import ArgumentParser
import CommandContract
import Foundation
import MQTT

/// Where and how the simulator connects.
struct BrokerOptions: ParsableArguments {
    @Option(name: .customLong("mqtt-url"), help: "The broker: mqtt://HOST:PORT or mqtts://HOST:PORT.")
    var url = "mqtt://127.0.0.1:1883"

    @Option(help: "MQTT QoS of what is published: 0 or 1 (default: the scenario's, or 1).")
    var qos: Int32?

    @Option(name: .customLong("client-id"), help: "MQTT client id (default caregate-sim-PID).")
    var clientID: String?

    @Option(help: "MQTT user name.")
    var username: String?

    @Option(name: .customLong("password-file"), help: "A file holding the MQTT password.")
    var passwordFile: String?

    @Option(name: .customLong("cafile"), help: "TLS: the CA certificate file.")
    var caFile: String?

    @Option(name: .customLong("cert"), help: "TLS: the client certificate.")
    var certFile: String?

    @Option(name: .customLong("key"), help: "TLS: the client key.")
    var keyFile: String?

    func validate() throws {
        guard BrokerURL(url) != nil else { throw UsageError("caregate-sim: --mqtt-url must look like mqtt://HOST:PORT or mqtts://HOST:PORT") }
        if let qos, qos != 0, qos != 1 { throw UsageError("caregate-sim: --qos must be 0 or 1") }
    }

    /// The client options for a connection named `role` (`-pub`, `-alerts`).
    func client(_ role: String) throws -> ClientOptions {
        var options = ClientOptions(broker: BrokerURL(url)!, clientID: (clientID ?? "caregate-sim-\(getpid())") + role, cleanSession: true)
        options.username = username
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw Failure("caregate-sim: cannot read --password-file \(passwordFile)")
            }
            options.password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if caFile != nil || certFile != nil || keyFile != nil {
            options.tls = TLSOptions(caFile: caFile, certFile: certFile, keyFile: keyFile)
        }
        options.maxInflightMessages = 1000
        return options
    }

    /// A connected client that publishes, or a clear failure.
    func connectPublisher() throws -> MQTTClient {
        let client = try MQTTClient(options: client("-pub"), onMessage: { _ in })
        try client.start()
        guard client.waitUntilConnected(timeoutSeconds: 10) else {
            client.stop()
            throw Failure("caregate-sim: cannot connect to \(url)")
        }
        return client
    }
}
