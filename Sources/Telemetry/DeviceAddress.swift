/// Where a reading comes from: the community station and the device's id within it.
public struct DeviceAddress: Hashable, Sendable, CustomStringConvertible {
    /// The station id, `[a-z0-9-]{1,32}`.
    public var station: String
    /// The device id, unique within the station, `[A-Za-z0-9._-]{1,64}`.
    public var device: String

    @inlinable
    public init(station: String, device: String) {
        self.station = station
        self.device = device
    }

    public var description: String { "\(station)/\(device)" }
}
