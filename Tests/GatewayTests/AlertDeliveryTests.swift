import CaregateTesting
import Foundation
import Gateway
import Testing

/// Alert events leave on a connection of their own, as `<client id>-alerts`. The broker reads a
/// connection one packet a round, so on the connection that receives a backlog an alert waited
/// behind every PUBACK the gateway had sent before it: seconds, in a drain of 200,000 messages
/// (BENCHMARKS.md, ingest). Operators whose broker has ACLs by client id allow both ids.
@Suite struct AlertDeliveryTests {
    @Test func alertEventsArePublishedOnAConnectionOfTheirOwn() throws {
        let station = try Station(brokerConfig: "log_type all")
        try station.register("bp-1")
        try station.startGateway()
        let nurse = try CollectingSubscriber(broker: station.broker.url, filter: "care/st01/alerts")
        let device = try TestPublisher(broker: station.broker.url)
        try device.send("care/st01/bp-1/bp", payload(ts: t0, seq: 1, #""systolic":200,"diastolic":100"#))
        let alert = nurse.waitFor(count: 1).first
        #expect(alert?.json?["rule"] as? String == "bp.crisis")

        // The broker's own account of who published it.
        let publishers = Self.publishersOfAlerts(try String(contentsOfFile: station.broker.logPath, encoding: .utf8))
        #expect(publishers == [Gateway.alertClientID(station.clientID)])
    }

    /// The client ids the broker's log names as publishers to an alerts topic.
    static func publishersOfAlerts(_ log: String) -> Set<String> {
        var ids: Set<String> = []
        for line in log.split(separator: "\n") where line.contains("Received PUBLISH from ") && line.contains("/alerts'") {
            guard let from = line.range(of: "Received PUBLISH from ") else { continue }
            ids.insert(String(line[from.upperBound...].prefix { $0 != " " }))
        }
        return ids
    }
}
