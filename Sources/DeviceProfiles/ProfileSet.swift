import Telemetry

/// Every profile the gateway reads, and which one a topic belongs to (PROTOCOL.md §1):
/// `care/{station}/{device}/{stream}` is `caregate-json/1`; `…/senml`, `…/gatt/2A35`,
/// `…/gatt/2A18` and `…/pmd` are the built-in profiles; anything else is tried against the
/// vendor profiles' topic patterns, in the order they were given.
///
/// Pure and immutable: the pipeline and the spool's replay decode the same message the same way.
public struct ProfileSet: Sendable {
    /// Vendor JSON profiles, from profile files.
    public var vendors: [VendorProfile]
    /// The station's offset from UTC, for devices' local times without a zone.
    public var utcOffsetMinutes: Int
    /// The sample rate of Polar PMD ECG streams (the bridge chose it when it started the stream;
    /// 130 Hz, the H10's only ECG rate, by default).
    public var polarECGHz: Int

    public init(vendors: [VendorProfile] = [], utcOffsetMinutes: Int = 0, polarECGHz: Int = 130) {
        self.vendors = vendors
        self.utcOffsetMinutes = utcOffsetMinutes
        self.polarECGHz = polarECGHz
    }

    /// Decodes a message that arrived at `arrival` (ms since the epoch, the gateway's clock).
    public func decode(topic: String, payload: UnsafeRawBufferPointer, arrival: Int64) -> Result<DeviceMessage, Rejection> {
        let context = ProfileContext(arrival: arrival, utcOffsetMinutes: utcOffsetMinutes)
        switch CareTopic.parse(topic) {
        case .success(.reading(let source, let stream)):
            return CanonicalProfile.decode(source: source, stream: stream, payload: payload).map { .reading($0) }
        case .success(.acknowledgement(let station)):
            return Acknowledgement.decode(payload: payload).map { .acknowledgement(station: station, $0) }
        case .success(.senml(let source)):
            guard payload.count <= CanonicalProfile.maxPayloadBytes else { return .failure(CanonicalProfile.tooLarge) }
            return SenMLProfile.decode(payload, source: source, context: context).map { .readings($0) }
        case .success(.gatt(let source, let characteristic)):
            return Self.gatt(characteristic, payload, source: source, context: context)
        case .success(.polarPMD(let source)):
            return Result { () throws(Rejection) in
                .reading(try PolarECGFrame.decode(payload, source: source, context: context, hz: polarECGHz))
            }
        case .failure(let rejection):
            for vendor in vendors {
                guard let ids = vendor.matches(topic) else { continue }
                guard payload.count <= CanonicalProfile.maxPayloadBytes else { return .failure(CanonicalProfile.tooLarge) }
                return vendor.decode(station: ids.station, device: ids.device, payload: payload, context: context)
                    .map { .readings($0) }
                    .mapError { Rejection($0.kind, "\(vendor.name): \($0.detail)") }
            }
            return .failure(rejection)
        }
    }

    /// Decodes a topic and a payload held in an array (convenience for tests and tools).
    public func decode(topic: String, payload: [UInt8], arrival: Int64) -> Result<DeviceMessage, Rejection> {
        payload.withUnsafeBytes { decode(topic: topic, payload: $0, arrival: arrival) }
    }

    static func gatt(_ characteristic: UInt16, _ payload: UnsafeRawBufferPointer, source: DeviceAddress,
                     context: ProfileContext) -> Result<DeviceMessage, Rejection> {
        Result { () throws(Rejection) in
            switch characteristic {
            case BloodPressureMeasurement.characteristic:
                .reading(try BloodPressureMeasurement.decode(payload, source: source, context: context))
            case GlucoseMeasurement.characteristic:
                .reading(try GlucoseMeasurement.decode(payload, source: source, context: context))
            default:
                throw Rejection(.unknownStream, "the ble-gatt profile reads characteristics 2A35 (blood pressure) and 2A18 (glucose)")
            }
        }
    }

    /// The MQTT filters that bring every profile's topics, for the given stations (nil: all).
    public func subscriptions(stations: [String]?) -> [String] {
        var filters = (stations ?? ["+"]).flatMap { ["care/\($0)/+/+", "care/\($0)/+/gatt/+"] }
        for vendor in vendors {
            let scopes: [String?] = vendor.topic.hasStation ? (stations ?? ["+"]).map { $0 } : [nil]
            for station in scopes {
                let filter = vendor.topic.filter(station: station)
                if !filters.contains(filter) { filters.append(filter) }
            }
        }
        return filters
    }
}

/// A device's message once decoded: one reading (the usual case, kept apart so that it costs
/// no array), several (a SenML pack with several times, a vendor's batch), or a nurse's
/// acknowledgement of an alert.
public enum DeviceMessage: Sendable, Equatable {
    case reading(Reading)
    case readings([Reading])
    case acknowledgement(station: String, Acknowledgement)

    /// The readings it holds, whichever case.
    public var readings: [Reading] {
        switch self {
        case .reading(let r): [r]
        case .readings(let rs): rs
        case .acknowledgement: []
        }
    }
}
