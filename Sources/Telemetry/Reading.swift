/// One decoded measurement, in the units Caregate stores and compares
/// (mmHg, mg/dL, beats a minute). A payload is decoded once into this value and never re-parsed.
public struct Reading: Sendable, Equatable {
    /// The device that measured.
    public var source: DeviceAddress
    /// The stream the reading arrived on.
    public var stream: StreamKind { value.stream }
    /// Time of the measurement, ms since the Unix epoch, device clock.
    public var ts: Int64
    /// Per device and stream sequence number (≥ 1), or 0 when the payload has none: then
    /// duplicates are recognised by device, stream and ts alone.
    public var seq: Int64
    /// The resident named by a shared device, if any. Spelled `Optional` on purpose: `String?`
    /// gives the property an implicit `= nil` that every initialiser runs first, and across
    /// modules that made each new reading a copy and a destroy of itself (retains and releases
    /// of all its strings and samples: about a third of a binary decode, issue 4).
    public var resident: Optional<String>
    /// What the device said about the reading besides its values (status, specimen, time source),
    /// in the order the profile found them; empty for most readings.
    public var notes: ReadingNotes
    /// The stream's values. Last, so that the byte of its case ends the reading: an enum that
    /// holds a reading (`DeviceMessage`) then keeps its own case in that byte's spare values,
    /// 113 bytes rather than 121 with a byte of its own past a word, and the decoders' results
    /// move with fewer stalls (a Polar frame 246 → 220 ns, issue 4).
    public var value: ReadingValue

    @inlinable
    public init(source: DeviceAddress, ts: Int64, seq: Int64, resident: String? = nil, value: ReadingValue,
                notes: ReadingNotes = []) {
        self.source = source
        self.ts = ts
        self.seq = seq
        self.resident = resident
        self.value = value
        self.notes = notes
    }
}

/// The values of one reading, one case a stream.
public enum ReadingValue: Sendable, Equatable {
    case bloodPressure(BloodPressure)
    case glucose(Glucose)
    case ecg(ECGChunk)
    case sos(EmergencyCall)
    case status(DeviceStatus)

    /// The stream these values belong to.
    public var stream: StreamKind {
        switch self {
        case .bloodPressure: .bp
        case .glucose: .glucose
        case .ecg: .ecg
        case .sos: .sos
        case .status: .status
        }
    }
}
