import Telemetry

/// The stream fields of `caregate-json/1` (PROTOCOL.md §1, Stream fields), in stored units.
///
/// Fields are checked one at a time, each completely (present, type, range), in a fixed
/// order whatever order the keys came in: bp unit, systolic, diastolic, pulse, then
/// systolic > diastolic (pressures converted from kPa before their ranges); glucose
/// mg_dl/mmol_l, context; ecg hz, lead, uv_per_lsb, samples; sos cause, cancel; status
/// battery, rssi.
extension CanonicalProfile {
    /// mmHg in one kPa.
    public static let mmHgPerKPa = 7.50062
    /// mg/dL in one mmol/L of glucose.
    public static let mgdlPerMmolL = 18.016

    typealias Slot = CanonicalSchema.Slot

    static func streamValue(_ stream: StreamKind, _ c: CapturedObject, _ samples: [Int16]) throws(Rejection)
        -> ReadingValue
    {
        switch stream {
        case .bp: .bloodPressure(try bloodPressure(c))
        case .glucose: .glucose(try glucose(c))
        case .ecg: .ecg(try ecg(c, samples))
        case .sos: .sos(try emergencyCall(c))
        case .status: .status(try status(c))
        }
    }

    /// Units a blood pressure may be sent in.
    enum PressureUnit {
        case mmHg, kPa

        static func named(_ k: PackedKey) -> Self? {
            if k.is("mmHg") { return .mmHg }
            if k.is("kPa") { return .kPa }
            return nil
        }
    }

    static func glucoseContext(_ k: PackedKey) -> GlucoseContext? {
        if k.is("fasting") { return .fasting }
        if k.is("postprandial") { return .postprandial }
        if k.is("random") { return .random }
        if k.is("bedtime") { return .bedtime }
        return nil
    }

    static func emergencyCause(_ k: PackedKey) -> EmergencyCause? {
        if k.is("button") { return .button }
        if k.is("fall") { return .fall }
        if k.is("pull_cord") { return .pull_cord }
        if k.is("voice") { return .voice }
        if k.is("other") { return .other }
        return nil
    }

    /// `value × factor` rounded to 0.001: far finer than any device measures, and free of the
    /// binary noise (18.9 kPa is 141.762 mmHg, not 141.76171799999997) a nurse should never see.
    @inline(__always)
    static func converted(_ value: Double, _ factor: Double) -> Double {
        (value * factor * 1000).rounded() / 1000
    }

    static func bloodPressure(_ c: CapturedObject) throws(Rejection) -> BloodPressure {
        // The unit first: the pressures' ranges are in mmHg, after conversion.
        let kPa = try c.choice(Slot.unit, "unit", "mmHg, kPa", PressureUnit.named) == .kPa
        let systolic = try kPa ? converted(c.requiredNumber(Slot.systolic, "systolic"), mmHgPerKPa) : c.requiredNumber(Slot.systolic, "systolic")
        try require((20...300).contains(systolic), "systolic must be 20–300 mmHg")
        let diastolic = try kPa ? converted(c.requiredNumber(Slot.diastolic, "diastolic"), mmHgPerKPa) : c.requiredNumber(Slot.diastolic, "diastolic")
        try require((20...300).contains(diastolic), "diastolic must be 20–300 mmHg")
        let pulse = try c.number(Slot.pulse, "pulse")
        if let pulse { try require((20...300).contains(pulse), "pulse must be 20–300 /min") }
        try require(systolic > diastolic, "systolic must be greater than diastolic")
        return BloodPressure(systolic: systolic, diastolic: diastolic, pulse: pulse)
    }

    static func glucose(_ c: CapturedObject) throws(Rejection) -> Glucose {
        let value: Double
        switch (try c.number(Slot.mgdl, "mg_dl"), try c.number(Slot.mmoll, "mmol_l")) {
        case (let mgdl?, nil):
            try require((10...1000).contains(mgdl), "mg_dl must be 10–1000")
            value = mgdl
        case (nil, let mmoll?):
            try require((0.6...55.5).contains(mmoll), "mmol_l must be 0.6–55.5")
            value = converted(mmoll, mgdlPerMmolL)
        case (nil, nil):
            throw Rejection(.missingField, "one of mg_dl or mmol_l is required")
        case (_?, _?):
            throw Rejection(.wrongType, "give exactly one of mg_dl or mmol_l, not both")
        }
        let context = try c.choice(Slot.context, "context", "fasting, postprandial, random, bedtime", glucoseContext)
        return Glucose(mgdl: value, context: context)
    }

    static func ecg(_ c: CapturedObject, _ samples: [Int16]) throws(Rejection) -> ECGChunk {
        let hz = try c.requiredInteger(Slot.hz, "hz", range: 50...1000, rule: "hz must be 50–1000")
        let lead = try c.requiredText(Slot.lead, "lead", lengths: 1...16)
        let uvPerLSB = try c.requiredNumber(Slot.uvPerLSB, "uv_per_lsb")
        try require(uvPerLSB > 0, "uv_per_lsb must be greater than 0")
        switch c.slots[Slot.samples] {
        case .absent, .null:
            throw CapturedObject.missing("samples")
        case .array:
            if let fault = c.samplesFault { throw fault.rejection }
            try require(!samples.isEmpty, "samples must hold 1–2000 values")
        default:
            throw Rejection(.wrongType, "samples must be an array of integers")
        }
        return ECGChunk(hz: Int(hz), lead: lead, microvoltsPerLSB: uvPerLSB, samples: ECGSamples(samples))
    }

    static func emergencyCall(_ c: CapturedObject) throws(Rejection) -> EmergencyCall {
        guard let cause = try c.choice(
            Slot.cause, "cause", "button, fall, pull_cord, voice, other", emergencyCause) else {
            throw CapturedObject.missing("cause")
        }
        let cancel = try c.bool(Slot.cancel, "cancel") ?? false
        return EmergencyCall(cause: cause, cancel: cancel)
    }

    static func status(_ c: CapturedObject) throws(Rejection) -> DeviceStatus {
        let battery = try c.number(Slot.battery, "battery")
        let rssi = try c.number(Slot.rssi, "rssi")
        return try ReadingChecks.status(battery: battery, rssi: rssi)
    }
}
