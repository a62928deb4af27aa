import Telemetry

/// One message a simulated device sends, before it is put into its profile's wire format.
public struct SimReading: Sendable {
    public var device: String
    public var stream: StreamKind
    /// Device time, ms since the Unix epoch.
    public var ts: Int64
    public var seq: Int64
    /// The resident a shared device names in the payload.
    public var resident: String?
    /// Rounded as the device reports them.
    public var values: [Measure: Double] = [:]
    /// `sos`: the cause, and whether this is the resident's cancel.
    public var cause: String?
    public var cancel = false
    /// `ecg`: rate, scale and samples.
    public var hz = 0
    public var uvPerLSB = 1
    public var samples: ArraySlice<Int16> = []

    public init(device: String, stream: StreamKind, ts: Int64, seq: Int64) {
        self.device = device
        self.stream = stream
        self.ts = ts
        self.seq = seq
    }
}
