import CommandContract
import Foundation
import Gateway
import MQTT
import Synchronization
import Telemetry

/// Sends an acknowledgement to the running gateway on `care/{station}/alerts/ack`, as a nurse's
/// app would, and waits for the gateway's `acknowledged` event on `care/{station}/alerts`.
struct AcknowledgementSender {
    var configuration: Configuration

    /// Returns the gateway's last event for the alert once it confirms.
    func acknowledge(id: String, by: String, station: String, timeoutSeconds: Double) throws -> AlertEventSummary {
        let inbox = Inbox(alertID: id)
        let options = ClientOptions(
            broker: configuration.broker, clientID: "caregate-ack-\(getpid())", cleanSession: true,
            keepAliveSeconds: 30, username: configuration.username, password: configuration.password, tls: configuration.tls)
        let client: MQTTClient
        do {
            client = try MQTTClient(options: options,
                                    onMessage: { message in inbox.take(message.payload) },
                                    onConnection: { event in if case .subscribed = event { inbox.subscribed.store(true, ordering: .relaxed) } })
            try client.subscribe("care/\(station)/alerts", qos: 1)
            try client.start()
        } catch {
            throw Failure("caregate: cannot reach the broker at \(configuration.broker): \(error)")
        }
        defer { client.stop() }
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        while !inbox.subscribed.load(ordering: .relaxed) {
            guard Date() < deadline else { throw Failure("caregate: cannot reach the broker at \(configuration.broker) within \(Int(timeoutSeconds)) s") }
            usleep(10_000)
        }
        var json = JSONWriter()
        json.object { o in
            o.field("id", id)
            o.field("by", by)
        }
        do {
            try client.publish("care/\(station)/alerts/ack", payload: json.bytes, qos: 1)
        } catch {
            throw Failure("caregate: cannot publish the acknowledgement: \(error)")
        }
        while true {
            if let event = inbox.confirmation { return event }
            guard Date() < deadline else {
                throw Failure("caregate: the gateway did not confirm within \(Int(timeoutSeconds)) s; is caregate running for station \(station) on \(configuration.broker)?")
            }
            usleep(10_000)
        }
    }
}

/// The fields of an alert event the sender looks at.
struct AlertEventSummary: Sendable {
    var kind: AlertEventKind
    var resolved: Bool
}

/// Alert events received for one alert id, from the client's network thread.
private final class Inbox: Sendable {
    let alertID: String
    let subscribed = Atomic<Bool>(false)
    private let events = Mutex<[AlertEventKind]>([])

    init(alertID: String) {
        self.alertID = alertID
    }

    func take(_ payload: UnsafeRawBufferPointer) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
              object["id"] as? String == alertID, let kind = (object["event"] as? String).flatMap(AlertEventKind.init(rawValue:)) else { return }
        events.withLock { $0.append(kind) }
    }

    /// Once `acknowledged` has come (and `resolved`, if it came with it).
    var confirmation: AlertEventSummary? {
        events.withLock { list in
            guard list.contains(.acknowledged) else { return nil }
            return AlertEventSummary(kind: list.last!, resolved: list.contains(.resolved))
        }
    }
}
