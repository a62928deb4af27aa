import Telemetry

/// The Bluetooth Blood Pressure Measurement characteristic (0x2A35) as a BLE-to-MQTT bridge
/// relays its raw value on `care/{station}/{device}/gatt/2A35` (`../shared/RESEARCH/standards.md` §2):
///
///     flags u8 · systolic · diastolic · mean arterial pressure (SFLOATs, mmHg or kPa)
///     · [time stamp, 7 B] · [pulse rate SFLOAT] · [user id u8] · [measurement status u16]
///
/// The pressures are stored in mmHg. A special value in systolic or diastolic refuses the
/// message (it holds no measurement); a special pulse is left out and noted. The measurement
/// status is kept as notes. Without a time stamp, or with an unknown one (year 0), the reading
/// takes the time of arrival and says so. The characteristic has no sequence number: duplicates
/// are recognised by device, stream and time.
enum BloodPressureMeasurement {
    static let characteristic: UInt16 = 0x2A35

    static func decode(_ payload: UnsafeRawBufferPointer, source: DeviceAddress, context: ProfileContext)
        throws(Rejection) -> Reading
    {
        var r = ByteReader(payload)
        let flags = try r.flags(reserved: 0xE0)
        let kPa = flags & 0x01 != 0
        let factor = kPa ? CanonicalProfile.mmHgPerKPa : 1
        var systolic = try r.requiredSFloat("systolic")
        var diastolic = try r.requiredSFloat("diastolic")
        _ = try r.sfloat("mean arterial pressure")  // derived by the cuff; not stored
        if kPa {
            systolic = CanonicalProfile.converted(systolic, factor)
            diastolic = CanonicalProfile.converted(diastolic, factor)
        }
        var notes = ReadingNotes()
        var ts = context.arrival
        if flags & 0x02 != 0 {
            if let time = try BaseTime.read(&r, field: "time stamp", utcOffsetMinutes: context.utcOffsetMinutes) {
                ts = try ReadingChecks.time(time, "time stamp")
            } else {
                notes.insert(.deviceTimeUnknown)
            }
        } else {
            notes.insert(.timeOfArrival)
        }
        var pulse: Double?
        if flags & 0x04 != 0 {
            let rate = try r.sfloat("pulse rate")
            if let value = rate.value { pulse = value } else { notes.insert(.pulseUnavailable) }
        }
        if flags & 0x08 != 0 {
            // A shared cuff's user index, not a resident's id: the registry's assignment decides.
            _ = try r.uint8("user id")
        }
        if flags & 0x10 != 0 {
            notes.formUnion(Self.status(try r.uint16("measurement status")))
        }
        guard r.remaining == 0 else {
            throw Rejection(.unsupported, "the value is longer than its flags announce")
        }
        let value = try ReadingChecks.bloodPressure(systolic: systolic, diastolic: diastolic, pulse: pulse)
        return Reading(source: source, ts: ts, seq: 0, value: .bloodPressure(value), notes: notes)
    }

    /// The measurement status bits: 0 body movement, 1 cuff too loose, 2 irregular pulse,
    /// 3–4 pulse rate range (01 above, 10 below), 5 improper position.
    static func status(_ bits: UInt16) -> ReadingNotes {
        var notes = ReadingNotes()
        if bits & 0x0001 != 0 { notes.insert(.bodyMovement) }
        if bits & 0x0002 != 0 { notes.insert(.cuffTooLoose) }
        if bits & 0x0004 != 0 { notes.insert(.irregularPulse) }
        switch bits >> 3 & 0x3 {
        case 1: notes.insert(.pulseAboveRange)
        case 2: notes.insert(.pulseBelowRange)
        default: break
        }
        if bits & 0x0020 != 0 { notes.insert(.improperPosition) }
        return notes
    }
}
