import Telemetry

/// The ranges PROTOCOL.md §1 accepts, in stored units, shared by every profile so that a
/// reading means the same whichever way it arrived. Each broken rule is a `Rejection` that
/// names the field and the rule, never the value.
enum ReadingChecks {
    static func bloodPressure(systolic: Double, diastolic: Double, pulse: Double?) throws(Rejection) -> BloodPressure {
        try require((20...300).contains(systolic), "systolic must be 20–300 mmHg")
        try require((20...300).contains(diastolic), "diastolic must be 20–300 mmHg")
        if let pulse { try require((20...300).contains(pulse), "pulse must be 20–300 /min") }
        try require(systolic > diastolic, "systolic must be greater than diastolic")
        return BloodPressure(systolic: systolic, diastolic: diastolic, pulse: pulse)
    }

    static func glucose(mgdl: Double, context: GlucoseContext? = nil) throws(Rejection) -> Glucose {
        try require((10...1000).contains(mgdl), "glucose must be 10–1000 mg/dL (0.6–55.5 mmol/L)")
        return Glucose(mgdl: mgdl, context: context)
    }

    static func battery(_ percent: Double) throws(Rejection) -> Double {
        try require((0...100).contains(percent), "battery must be 0–100 %")
        return percent
    }

    static func status(battery: Double?, rssi: Double?) throws(Rejection) -> DeviceStatus {
        if let battery { _ = try self.battery(battery) }
        if let rssi { try require((-150...20).contains(rssi), "rssi must be -150–20 dBm") }
        return DeviceStatus(battery: battery, rssi: rssi)
    }

    /// Times a reading may carry: 2000-01-01 to 2100-01-01 UTC, as the canonical profile.
    static func time(_ ms: Int64, _ field: String) throws(Rejection) -> Int64 {
        try require(CanonicalProfile.tsRange.contains(ms),
                    "\(field) must be between the years 2000 and 2100; the device clock may be unset")
        return ms
    }

    /// mmHg in one pascal.
    static let mmHgPerPascal = 1 / 133.322387415
}
