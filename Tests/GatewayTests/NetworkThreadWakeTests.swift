import CaregateTesting
import Foundation
import Gateway
import MQTT
import Synchronization
import Testing

/// The client's network thread waits in `poll` with a one-second timeout; a publish from another
/// thread must wake it, or every escalation and every acknowledgement sent from outside the
/// network thread would leave up to a second late.
@Suite struct NetworkThreadWakeTests {
    @Test func aPublishFromAnotherThreadLeavesAtOnceWhileTheNetworkThreadWaits() throws {
        let folder = TemporaryDirectory()
        let broker = try LocalBroker(directory: folder.file("broker"))
        defer { broker.stop() }
        let nurse = try CollectingSubscriber(broker: broker.url, filter: "care/st01/alerts")
        let client = try MQTTClient(options: ClientOptions(broker: broker.url, clientID: "wake-test", cleanSession: true),
                                    onMessage: { _ in })
        try client.start()
        defer { client.stop() }
        #expect(client.waitUntilConnected(timeoutSeconds: 10))

        // Ten publishes, one after another, each once the broker has acknowledged the one before:
        // by then the network thread has nothing left to do and waits in poll. Woken, they take
        // milliseconds in all; left to the poll's timeout, about a second each.
        let started = MonotonicClock.micros()
        for i in 1...10 {
            #expect(Waiting.until(timeoutSeconds: 10) { client.deliveries.acknowledged == i - 1 })
            try client.publish("care/st01/alerts", payload: Array(#"{"n":\#(i)}"#.utf8), qos: 1)
            #expect(nurse.waitFor(count: i, timeoutSeconds: 10).count == i)
        }
        let seconds = Double(MonotonicClock.micros() - started) / 1e6
        #expect(seconds < 4, "ten publishes from another thread took \(seconds) s: the network thread was not woken")
    }
}
