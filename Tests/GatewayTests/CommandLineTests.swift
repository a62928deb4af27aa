import CaregateTesting
import Foundation
import Testing

/// PROTOCOL.md §5: exit status 0, 2 on bad usage, 1 on other failures, one clear line on stderr.
@Suite struct CommandLineTests {
    @Test(arguments: [
        ["query", "bogus"],
        ["query", "readings"],
        ["query", "readings", "--device", "x", "--stream", "temperature", "--db", "/nonexistent.db"],
        ["run"],
        ["run", "--station", "BAD_ID"],
        ["run", "--station", "st01", "--mqtt-url", "http://example"],
        ["frobnicate"],
        [],
        ["query"],
        ["run", "--station", "st01", "--mqtt-url", "mqtt://user@127.0.0.1"],
        ["run", "--station", "st01", "--mqtt-url", "mqtt://::1"],
    ])
    func badUsageExitsWithTwoAndOneLine(_ arguments: [String]) throws {
        let result = try CaregateBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("caregate: "))
    }

    @Test func aMissingDatabaseExitsWithOne() throws {
        let result = try CaregateBinary.run(["query", "alerts", "--db", "/nonexistent/caregate.db"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no database at /nonexistent/caregate.db"))
    }

    @Test func helpExitsWithZero() throws {
        let result = try CaregateBinary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("run"))
        #expect(result.stdout.contains("query"))
        #expect(result.stdout.contains("demo"))
    }

    @Test func aConfigFileErrorNamesTheFileAndLine() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("caregate.yaml")
        try "station: st01\nmqtt:\n  url: mqtt://127.0.0.1:1883\n  keepalvie: 30\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CaregateBinary.run(["run", "--config", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(path):4: unknown key 'keepalvie'"))
    }

    @Test func theShippedExampleConfigIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = root.appendingPathComponent("systemd/caregate.yaml").path
        let config = try Configuration.load(file: example)
        #expect(config.stations == ["st01"])
        #expect(config.databasePath == "/var/lib/caregate/caregate.db")
    }
}

import Gateway
