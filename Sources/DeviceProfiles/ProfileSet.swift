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
        switch CareTopic.parse(topic) {
        case .success(let target):
            return decode(target, payload: payload, arrival: arrival)
        case .failure(let rejection):
            let context = ProfileContext(arrival: arrival, utcOffsetMinutes: utcOffsetMinutes)
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

    /// Decodes the payload of a `care/` topic already parsed: the built-in profiles' part of
    /// `decode(topic:payload:arrival:)`.
    public func decode(_ target: CareTopic.Target, payload: UnsafeRawBufferPointer, arrival: Int64)
        -> Result<DeviceMessage, Rejection>
    {
        let context = ProfileContext(arrival: arrival, utcOffsetMinutes: utcOffsetMinutes)
        // do/catch rather than Result.map: the reading is built in place, not copied through closures.
        do throws(Rejection) {
            switch target {
            case .reading(let source, let stream):
                switch CanonicalProfile.decode(source: source, stream: stream, payload: payload) {
                case .success(let reading): return .success(.reading(reading))
                case .failure(let rejection): return .failure(rejection)
                }
            case .acknowledgement(let station):
                return .success(.acknowledgement(station: station, try Acknowledgement.decode(payload: payload).get()))
            case .senml(let source):
                guard payload.count <= CanonicalProfile.maxPayloadBytes else { return .failure(CanonicalProfile.tooLarge) }
                return .success(.readings(try SenMLProfile.decode(payload, source: source, context: context).get()))
            case .gatt(let source, BloodPressureMeasurement.characteristic):
                return .success(.reading(try BloodPressureMeasurement.decode(payload, source: source, context: context)))
            case .gatt(let source, GlucoseMeasurement.characteristic):
                return .success(.reading(try GlucoseMeasurement.decode(payload, source: source, context: context)))
            case .gatt:
                throw Rejection(.unknownStream, "the ble-gatt profile reads characteristics 2A35 (blood pressure) and 2A18 (glucose)")
            case .polarPMD(let source):
                return .success(.reading(try PolarECGFrame.decode(payload, source: source, context: context, hz: polarECGHz)))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Decodes a topic and a payload held in an array (convenience for tests and tools).
    public func decode(topic: String, payload: [UInt8], arrival: Int64) -> Result<DeviceMessage, Rejection> {
        payload.withUnsafeBytes { decode(topic: topic, payload: $0, arrival: arrival) }
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
