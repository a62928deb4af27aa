import Telemetry

/// The Bluetooth Glucose Measurement characteristic (0x2A18) as a BLE-to-MQTT bridge relays
/// its raw value on `care/{station}/{device}/gatt/2A18` (`../shared/RESEARCH/standards.md` §3):
///
///     flags u8 · sequence number u16 · base time (7 B, local) · [time offset s16, minutes]
///     · [concentration SFLOAT (kg/L or mol/L) · type and sample location u8] · [sensor status u16]
///
/// Stored in mg/dL (kg/L × 10⁵; mol/L × 18,016). The record's sequence number is the
/// reading's seq. The specimen, the sample location and the sensor status annunciation are
/// kept as notes; a control-solution check is stored and never alerted on. A record without a
/// concentration, or with a special value in it, holds no measurement and is refused.
enum GlucoseMeasurement {
    static let characteristic: UInt16 = 0x2A18

    static func decode(_ payload: UnsafeRawBufferPointer, source: DeviceAddress, context: ProfileContext)
        throws(Rejection) -> Reading
    {
        var r = ByteReader(payload)
        let flags = try r.flags(reserved: 0xE0)
        let seq = Int64(try r.uint16("sequence number"))
        let base = try BaseTime.read(&r, field: "base time", utcOffsetMinutes: context.utcOffsetMinutes)
        var offsetMinutes: Int64 = 0
        if flags & 0x01 != 0 { offsetMinutes = Int64(try r.int16("time offset")) }
        var notes = ReadingNotes()
        var ts = context.arrival
        if let base {
            ts = try ReadingChecks.time(base + offsetMinutes * 60_000, "base time plus time offset")
        } else {
            notes.insert(.deviceTimeUnknown)
        }
        guard flags & 0x02 != 0 else {
            throw Rejection(.missingField, "the record holds no glucose concentration (flags bit 1 is 0)")
        }
        let molPerLitre = flags & 0x04 != 0
        let concentration = try r.requiredSFloat("glucose concentration")
        let typeAndLocation = try r.uint8("type and sample location")
        notes.formUnion(Self.specimen(typeAndLocation))
        if flags & 0x08 != 0 { notes.formUnion(Self.status(try r.uint16("sensor status annunciation"))) }
        guard r.remaining == 0 else {
            throw Rejection(.unsupported, "the value is longer than its flags announce")
        }
        let mgdl = CanonicalProfile.converted(concentration, molPerLitre ? 18_016 : 100_000)
        let value = try ReadingChecks.glucose(mgdl: mgdl)
        return Reading(source: source, ts: ts, seq: seq, value: .glucose(value), notes: notes)
    }

    /// Type (low nibble) and sample location (high nibble); unknown codes say nothing.
    static func specimen(_ byte: UInt8) -> ReadingNotes {
        var notes = ReadingNotes()
        let type = Int(byte & 0x0F)
        if (1...specimens.count).contains(type) { notes.insert(specimens[type - 1]) }
        switch byte >> 4 {
        case 1: notes.insert(.finger)
        case 2: notes.insert(.alternateSite)
        case 3: notes.insert(.earlobe)
        case 4: notes.insert(.controlSolution)
        default: break
        }
        return notes
    }

    /// Sensor status annunciation bits 0–11, as the Bluetooth Glucose Service names them
    /// (bit 5 higher and bit 6 lower than the device can process; one widely copied library has them reversed).
    static func status(_ bits: UInt16) -> ReadingNotes {
        var notes = ReadingNotes()
        var rest = bits & 0x0FFF
        while rest != 0 {
            notes.insert(statusBits[rest.trailingZeroBitCount])
            rest &= rest - 1
        }
        return notes
    }

    /// The type nibble's codes 1–10.
    private static let specimens: [ReadingNote] = [
        .capillaryWholeBlood, .capillaryPlasma, .venousWholeBlood, .venousPlasma, .arterialWholeBlood,
        .arterialPlasma, .undeterminedWholeBlood, .undeterminedPlasma, .interstitialFluid, .controlSolution,
    ]

    /// The sensor status bits 0–11.
    private static let statusBits: [ReadingNote] = [
        .batteryLow, .sensorMalfunction, .sampleSizeInsufficient, .stripInsertionError, .stripTypeIncorrect,
        .resultAboveRange, .resultBelowRange, .temperatureTooHigh, .temperatureTooLow, .readInterrupted,
        .deviceFault, .timeFault,
    ]
}
