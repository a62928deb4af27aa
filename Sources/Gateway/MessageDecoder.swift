import DeviceProfiles
import Storage
import Telemetry

/// What an inbound message is, once its topic and payload are checked.
enum DecodedMessage {
    case reading(Reading)
    /// Several readings of one message (a SenML pack with several times, a vendor's batch).
    case readings([Reading])
    case acknowledgement(station: String, Acknowledgement)
    case rejected(Rejection)

    /// The profiles' decoding of topic and payload, for a message that arrived at `arrival` (µs,
    /// as spooled). Deterministic: the spool's replay relies on it.
    init(topic: String, payload: UnsafeRawBufferPointer, arrival: Int64, profiles: ProfileSet) {
        switch profiles.decode(topic: topic, payload: payload, arrival: arrival / 1000) {
        case .success(.reading(let reading)): self = .reading(reading)
        case .success(.readings(let readings)): self = .readings(readings)
        case .success(.acknowledgement(let station, let ack)): self = .acknowledgement(station: station, ack)
        case .failure(let rejection): self = .rejected(rejection)
        }
    }

    /// Gives each reading its resident by the registry (PROTOCOL.md §1: the resident the payload
    /// names, else the device's assignment at the reading's time). True when the registry does
    /// not know the device. Deterministic for one registry: the spool's replay relies on it.
    mutating func attribute(_ registry: Registry) -> Bool {
        switch self {
        case .reading(var reading):
            let attribution = registry.attribute(&reading)
            self = .reading(reading)
            return attribution == .unknownDevice
        case .readings(var readings):
            var unknown = false
            for i in readings.indices where registry.attribute(&readings[i]) == .unknownDevice { unknown = true }
            self = .readings(readings)
            return unknown
        case .acknowledgement, .rejected:
            return false
        }
    }

    /// What the store keeps of this message: its readings, or the message in quarantine with its
    /// reason; nothing for an acknowledgement. The live path and the spool's replay both use it,
    /// so a replayed message is stored exactly as it would have been.
    func storeItems(arrival: Int64, topic: String, payload: UnsafeRawBufferPointer, _ body: (StoreItem) -> Void) {
        switch self {
        case .reading(let reading):
            body(.reading(reading, receivedAt: arrival / 1000))
        case .readings(let readings):
            for reading in readings { body(.reading(reading, receivedAt: arrival / 1000)) }
        case .rejected(let rejection):
            body(.rejected(QuarantinedMessage(arrival: arrival, topic: topic, kind: rejection.kind.rawValue,
                                              reason: rejection.description, payload: payload)))
        case .acknowledgement:
            break
        }
    }
}

/// Where a rejected message came from, for the rate-limited log: the device when the topic names
/// one, else the topic itself (cut short).
func rejectionSource(topic: String) -> String {
    let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
    if parts.count >= 4, parts[0] == "care" { return "\(parts[1])/\(parts[2])" }
    return "topic \(topic.prefix(80))"
}
