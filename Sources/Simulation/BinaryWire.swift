import Telemetry

/// The binary formats of `devices/ble-gatt` and `devices/polar-pmd-ecg`, written the way the
/// devices write them (`../shared/RESEARCH/standards.md` §1–3).
enum BinaryWire {
    /// Blood Pressure Measurement (0x2A35): flags (time stamp, pulse), systolic, diastolic and
    /// mean arterial pressure in mmHg, the time stamp in the station's local time, the pulse.
    static func bloodPressure(_ r: SimReading, zoneOffsetMillis: Int64) -> [UInt8] {
        let systolic = r.values[.systolic] ?? 0
        let diastolic = r.values[.diastolic] ?? 0
        let pulse = r.values[.pulse]
        var out: [UInt8] = [pulse == nil ? 0x02 : 0x06]
        append(sfloat(mantissa: Int(systolic), exponent: 0), to: &out)
        append(sfloat(mantissa: Int(diastolic), exponent: 0), to: &out)
        append(sfloat(mantissa: Int(((systolic + 2 * diastolic) / 3).rounded()), exponent: 0), to: &out)
        out += dateTime(r.ts, zoneOffsetMillis)
        if let pulse { append(sfloat(mantissa: Int(pulse), exponent: 0), to: &out) }
        return out
    }

    /// Glucose Measurement (0x2A18): flags (concentration in kg/L, type and location), the
    /// sequence number, the base time, the concentration, capillary blood from a finger.
    static func glucose(_ r: SimReading, zoneOffsetMillis: Int64) -> [UInt8] {
        var out: [UInt8] = [0x02]
        append(UInt16(truncatingIfNeeded: r.seq), to: &out)
        out += dateTime(r.ts, zoneOffsetMillis)
        // mg/dL × 10⁻⁵ is kg/L: the mantissa in mg/dL with exponent −5.
        append(sfloat(mantissa: Int(r.values[.glucose] ?? 0), exponent: -5), to: &out)
        out.append(0x11)
        return out
    }

    /// A Polar PMD ECG frame: type 0, the last sample's time in ns since 2000-01-01 UTC,
    /// frame type 0, samples as 3-byte signed µV.
    static func polarECG(_ r: SimReading) -> [UInt8] {
        var out: [UInt8] = [0x00]
        let lastMillis = r.ts + Int64(max(0, r.samples.count - 1)) * 1000 / Int64(max(1, r.hz))
        let nanos = UInt64(max(0, lastMillis)) &* 1_000_000 &- 946_684_800_000_000_000
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: nanos >> UInt64(shift))) }
        out.append(0x00)
        for s in r.samples {
            let uv = Int32(s) * Int32(r.uvPerLSB)
            out += [UInt8(truncatingIfNeeded: uv), UInt8(truncatingIfNeeded: uv >> 8), UInt8(truncatingIfNeeded: uv >> 16)]
        }
        return out
    }

    /// An IEEE 11073 SFLOAT: mantissa × 10^exponent, a 4-bit exponent over a 12-bit mantissa.
    static func sfloat(mantissa: Int, exponent: Int) -> UInt16 {
        let m = UInt16(truncatingIfNeeded: min(2045, max(-2045, mantissa))) & 0x0FFF
        return UInt16(truncatingIfNeeded: exponent & 0xF) << 12 | m
    }

    /// Date Time (0x2A08): year u16, month, day, hours, minutes, seconds, in local time.
    static func dateTime(_ ts: Int64, _ zoneOffsetMillis: Int64) -> [UInt8] {
        let local = (ts + zoneOffsetMillis) / 1000
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        let (y, m, d) = civil(days)
        var out: [UInt8] = []
        append(UInt16(y), to: &out)
        out += [UInt8(m), UInt8(d), UInt8(seconds / 3600), UInt8(seconds / 60 % 60), UInt8(seconds % 60)]
        return out
    }

    /// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func append(_ v: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(truncatingIfNeeded: v))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
    }
}
