import CaregateTesting
import Foundation
import Gateway
import MQTT
import Testing

/// TLS settings from the config really reach libmosquitto: a broker that requires client
/// certificates accepts the gateway with them and turns it away without them.
@Suite struct TLSTests {
    /// A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl.
    static func makeCertificates(in dir: String) throws {
        let script = """
            set -e
            cd '\(dir)'
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Caregate Test CA' -keyout ca.key -out ca.pem 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key -out server.csr 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -subj '/CN=caregate-gateway' -keyout client.key -out client.csr 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem 2>/dev/null
            chmod 644 *.key
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try ChildProcess.run(process)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LocalTestError("openssl failed") }
    }

    @Test func clientCertificateAndCAFromTheConfigAreUsed() throws {
        let certs = TemporaryDirectory("caregate-certs")
        try Self.makeCertificates(in: certs.path)
        // A second, plain listener for the devices.
        let plainPort = try FreePort.find()
        let tlsConfig = """
            cafile \(certs.file("ca.pem"))
            certfile \(certs.file("server.pem"))
            keyfile \(certs.file("server.key"))
            require_certificate true
            listener \(plainPort) 127.0.0.1
            """
        let station = try Station(brokerConfig: tlsConfig)
        let url = "mqtts://127.0.0.1:\(station.broker.port)"

        let gateway = try station.startGateway(config: """
            station: st01
            mqtt:
              url: \(url)
              tls:
                ca_file: \(certs.file("ca.pem"))
                cert_file: \(certs.file("client.pem"))
                key_file: \(certs.file("client.key"))
            """, extra: ["--mqtt-url", url], waitForConnection: true)
        #expect(gateway.log.contains("connected to \(url)"))

        // Readings reach the gateway through OpenSSL (over the read-ahead buffer) and are stored.
        let device = try TestPublisher(broker: BrokerURL(host: "127.0.0.1", port: plainPort))
        for seq in 1...60 {
            try device.send("care/st01/cgm-7/glucose", payload(ts: t0 + Int64(seq) * 300_000, seq: Int64(seq), "\"mg_dl\":\(90 + seq)"))
        }
        let rows = station.waitForReadings(device: "cgm-7", count: 60)
        #expect(rows.map(\.reading.seq) == Array(1...60))
        gateway.terminate()

        // The same broker without a client certificate: the handshake fails, and the gateway says so
        // and keeps trying (libmosquitto's own loop would give up on a TLS error for good).
        let refused = try station.startGateway(config: """
            station: st01
            mqtt:
              tls:
                ca_file: \(certs.file("ca.pem"))
            """, extra: ["--mqtt-url", url], waitForConnection: false)
        #expect(refused.waitForLog("retrying in", timeoutSeconds: 10))
        #expect(refused.waitForLog("retrying in 2 s", timeoutSeconds: 10))
        #expect(!refused.log.contains("subscribed to"))
        #expect(refused.process.isRunning)
        refused.terminate()
    }

    @Test func aTLSBlockWithAPlainURLIsRefused() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("caregate.yaml")
        try "station: st01\nmqtt:\n  url: mqtt://127.0.0.1:1883\n  tls:\n    ca_file: /etc/ssl/certs/ca.pem\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CaregateBinary.run(["run", "--config", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("use mqtts://"))
    }

    @Test func aMissingCertificateFileStopsTheStartWithAClearError() throws {
        let station = try Station()
        let gateway = try station.startGateway(config: """
            station: st01
            mqtt:
              tls:
                ca_file: /nonexistent/ca.pem
            """, extra: ["--mqtt-url", "mqtts://127.0.0.1:\(station.broker.port)"], waitForConnection: false)
        Waiting.until(timeoutSeconds: 10) { !gateway.process.isRunning }
        #expect(gateway.process.terminationStatus == 1)
        #expect(gateway.log.contains("/nonexistent/ca.pem"))
    }
}
