/// What a profile may need besides the payload: the gateway's time of arrival (for a payload
/// without a time, or a SenML relative time) and the station's time zone (for a device's local
/// time without a zone). Passed in, so decoding stays pure and a replay decodes the same.
public struct ProfileContext: Sendable {
    /// The time the gateway received the message, ms since the Unix epoch.
    public var arrival: Int64
    /// The station's offset from UTC, in minutes (China: +480).
    public var utcOffsetMinutes: Int

    public init(arrival: Int64, utcOffsetMinutes: Int = 0) {
        self.arrival = arrival
        self.utcOffsetMinutes = utcOffsetMinutes
    }
}
