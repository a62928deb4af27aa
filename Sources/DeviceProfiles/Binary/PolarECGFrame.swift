import Telemetry

/// A Polar Measurement Data (PMD) ECG frame, as a BLE-to-MQTT bridge relays the raw value of
/// the PMD data characteristic of a Polar H10 chest strap on `care/{station}/{device}/pmd`
/// (`devices/polar-pmd-ecg/README.md`, from Polar's own SDK):
///
///     measurement type u8 (0 = ECG) · time stamp u64 (ns since 2000-01-01 UTC, of the LAST sample)
///     · frame type u8 (0 = raw; bit 7 = compressed) · samples: 3-byte signed µV each
///
/// The sample rate is not in the frame; it is the one the bridge started the stream with,
/// 130 Hz on the H10. The chunk's ts is the first sample's time. A strap whose clock was never
/// set counts from 2019-01-01: a time before 2020 is taken as unset, and the chunk takes the
/// time of arrival and says so. Samples outside 16 bits (beyond ±32,767 µV, far outside any
/// ECG) are refused.
enum PolarECGFrame {
    /// Nanoseconds from the Unix epoch to Polar's epoch, 2000-01-01T00:00:00Z.
    static let epochOffsetNanos: UInt64 = 946_684_800_000_000_000
    /// Times before 2020-01-01 are a strap's unset clock (it starts at 2019-01-01).
    static let earliestSetClock: Int64 = 1_577_836_800_000
    /// The H10's only ECG rate.
    static let defaultHz = 130
    static let maxSamples = 2000

    static func decode(_ payload: UnsafeRawBufferPointer, source: DeviceAddress, context: ProfileContext,
                       hz: Int = defaultHz) throws(Rejection) -> Reading
    {
        var r = ByteReader(payload)
        let type = try r.uint8("measurement type") & 0x3F
        guard type == 0 else {
            throw Rejection(.unsupported, "only ECG frames (measurement type 0) are read; the bridge relays another measurement")
        }
        let stamp = try r.uint64("time stamp")
        let frameType = try r.uint8("frame type")
        guard frameType & 0x80 == 0 else {
            throw Rejection(.unsupported, "compressed ECG frames are not read (nor by Polar's SDK); start the stream uncompressed")
        }
        guard frameType == 0 else {
            throw Rejection(.unsupported, "only ECG frame type 0 (the H10's 3-byte µV samples) is read")
        }
        guard r.remaining > 0, r.remaining % 3 == 0 else {
            throw Rejection(.truncated, "the samples must be whole 3-byte values, at least one")
        }
        let count = r.remaining / 3
        guard count <= maxSamples else { throw Rejection(.outOfRange, "a frame must hold 1–2000 samples") }
        let raw = try r.bytes(count * 3, "samples")
        var inRange = true
        let samples = ECGSamples(count: count) { out in inRange = PolarSamples.read(raw, into: out) }
        guard inRange else { throw Rejection(.outOfRange, "samples must be within ±32,767 µV") }
        // The last sample's time, less the span of the ones before it: the first sample's time.
        let (unixNanos, overflow) = stamp.addingReportingOverflow(epochOffsetNanos)
        let span = UInt64(count - 1) * 1_000_000_000 / UInt64(hz)
        var notes = ReadingNotes()
        var ts = context.arrival
        if overflow || unixNanos / 1_000_000 < UInt64(earliestSetClock) {
            notes.insert(.deviceTimeUnknown)
        } else {
            ts = try ReadingChecks.time(Int64(clamping: (unixNanos - span) / 1_000_000), "time stamp")
        }
        return Reading(source: source, ts: ts, seq: 0,
                       value: .ecg(ECGChunk(hz: hz, lead: "chest", microvoltsPerLSB: 1, samples: samples)), notes: notes)
    }
}
