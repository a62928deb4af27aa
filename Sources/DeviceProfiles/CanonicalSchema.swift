import Telemetry

/// The top-level members `caregate-json/1` reads for one stream (PROTOCOL.md §1), matched
/// as bytes; members of other streams and unknown ones are skipped.
struct CanonicalSchema: FieldSchema {
    let stream: StreamKind

    /// Slot numbers; the stream fields of different streams share numbers.
    enum Slot {
        static let ts = 0, seq = 1, resident = 2
        static let systolic = 3, diastolic = 4, pulse = 5, unit = 6
        static let mgdl = 3, mmoll = 4, context = 5
        static let hz = 3, lead = 4, uvPerLSB = 5, samples = 6
        static let cause = 3, cancel = 4
        static let battery = 3, rssi = 4
    }

    var samplesSlot: Int? { stream == .ecg ? Slot.samples : nil }

    /// The stream is the same for the whole payload, so the first switch always predicts;
    /// each test is a few integer compares.
    func slot(for n: PackedKey) -> Int? {
        if n.is("ts") { return Slot.ts }
        if n.is("seq") { return Slot.seq }
        switch stream {
        case .bp:
            if n.is("systolic") { return Slot.systolic }
            if n.is("diastolic") { return Slot.diastolic }
            if n.is("pulse") { return Slot.pulse }
            if n.is("unit") { return Slot.unit }
        case .glucose:
            if n.is("mg_dl") { return Slot.mgdl }
            if n.is("mmol_l") { return Slot.mmoll }
            if n.is("context") { return Slot.context }
        case .ecg:
            if n.is("hz") { return Slot.hz }
            if n.is("lead") { return Slot.lead }
            if n.is("uv_per_lsb") { return Slot.uvPerLSB }
            if n.is("samples") { return Slot.samples }
        case .sos:
            if n.is("cause") { return Slot.cause }
            if n.is("cancel") { return Slot.cancel }
        case .status:
            if n.is("battery") { return Slot.battery }
            if n.is("rssi") { return Slot.rssi }
        }
        if n.is("resident") { return Slot.resident }
        return nil
    }
}
