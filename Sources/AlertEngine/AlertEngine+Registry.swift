import Telemetry

/// `device.unregistered`: a technical alarm, once per device ever, for readings from a device the
/// station's registry does not know. The gateway decides what the registry knows; the engine
/// keeps the alert's life.
extension AlertEngine {
    /// A fresh reading came from a device the registry does not know: raises `device.unregistered`
    /// unless the device has had one before (open or long closed), or the rule is off.
    public mutating func unregistered(_ reading: Reading, now: Int64) -> [AlertEvent] {
        guard let priority = rules.unregistered else { return [] }
        let d = Int(deviceIndex(reading.source, kind: reading.stream))
        guard !devices[d].flaggedUnregistered else { return [] }
        devices[d].flaggedUnregistered = true
        var events: [AlertEvent] = []
        devices[d].unregisteredAlert = raise(.registration(device: Int32(d)), rule: "device.unregistered", priority: priority,
                                             source: reading.source, stream: reading.stream, resident: nil, reading,
                                             now: now, into: &events)
        return events
    }

    /// Resolves the open `device.unregistered` alerts of the devices the registry now knows.
    public mutating func registered(_ isKnown: (DeviceAddress) -> Bool, now: Int64) -> [AlertEvent] {
        var events: [AlertEvent] = []
        for d in devices.indices {
            guard let id = devices[d].unregisteredAlert, isKnown(devices[d].address) else { continue }
            resolve(id, nil, now: now, cancelled: false, into: &events)
        }
        return events
    }

    /// After a restart: the device has had its `device.unregistered` alert, so it gets no other.
    public mutating func restoreUnregistered(_ source: DeviceAddress, stream: StreamKind) {
        devices[Int(deviceIndex(source, kind: stream))].flaggedUnregistered = true
    }
}
