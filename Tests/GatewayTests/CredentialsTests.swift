import CaregateTesting
import Foundation
import Gateway
import Testing

/// Username and password from the config file really reach the broker.
@Suite struct CredentialsTests {
    @Test func theGatewayLogsInWithItsCredentials() throws {
        let folder = TemporaryDirectory()
        let passwords = folder.file("passwd")
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: "/usr/bin/mosquitto_passwd")
        tool.arguments = ["-c", "-b", passwords, "caregate", "s3cret-station"]
        try ChildProcess.run(tool)
        tool.waitUntilExit()
        try #require(tool.terminationStatus == 0)
        try "nurse-device\n".write(toFile: folder.file("unused"), atomically: true, encoding: .utf8)

        let station = try Station(brokerConfig: "password_file \(passwords)", anonymous: false)
        try "s3cret-station\n".write(toFile: folder.file("secret"), atomically: true, encoding: .utf8)
        let good = try station.startGateway(config: """
            station: st01
            mqtt:
              username: caregate
              password_file: \(folder.file("secret"))
            """)
        good.terminate()

        let bad = try station.startGateway(config: """
            station: st01
            mqtt:
              username: caregate
              password: wrong
            """, waitForConnection: false)
        #expect(bad.waitForLog("refused the connection"))
        bad.terminate()
    }
}
