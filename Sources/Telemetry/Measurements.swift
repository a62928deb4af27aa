/// A blood pressure measurement in mmHg, pulse in beats a minute.
public struct BloodPressure: Sendable, Equatable {
    public var systolic: Double
    public var diastolic: Double
    public var pulse: Double?

    @inlinable
    public init(systolic: Double, diastolic: Double, pulse: Double? = nil) {
        self.systolic = systolic
        self.diastolic = diastolic
        self.pulse = pulse
    }
}

/// A glucose measurement in mg/dL.
public struct Glucose: Sendable, Equatable {
    public var mgdl: Double
    public var context: GlucoseContext?

    @inlinable
    public init(mgdl: Double, context: GlucoseContext? = nil) {
        self.mgdl = mgdl
        self.context = context
    }
}

/// When a glucose sample was taken relative to meals and sleep.
public enum GlucoseContext: String, Sendable, CaseIterable {
    case fasting, postprandial, random, bedtime
}

/// A chunk of ECG samples of one lead; sample k was taken at ts + k·1000/hz ms.
public struct ECGChunk: Sendable, Equatable {
    public var hz: Int
    public var lead: String
    public var microvoltsPerLSB: Double
    public var samples: ECGSamples

    @inlinable
    public init(hz: Int, lead: String, microvoltsPerLSB: Double, samples: ECGSamples) {
        self.hz = hz
        self.lead = lead
        self.microvoltsPerLSB = microvoltsPerLSB
        self.samples = samples
    }
}

/// An emergency call from a button, fall detector, pull cord or voice assistant.
public struct EmergencyCall: Sendable, Equatable {
    public var cause: EmergencyCause
    /// The resident cancelled a false alarm.
    public var cancel: Bool

    public init(cause: EmergencyCause, cancel: Bool = false) {
        self.cause = cause
        self.cancel = cancel
    }
}

/// What triggered an emergency call.
public enum EmergencyCause: String, Sendable, CaseIterable {
    case button, fall, pull_cord, voice, other
}

/// A device heartbeat.
public struct DeviceStatus: Sendable, Equatable {
    /// Battery level, 0–100 %.
    public var battery: Double?
    /// Received signal strength, dBm.
    public var rssi: Double?

    public init(battery: Double? = nil, rssi: Double? = nil) {
        self.battery = battery
        self.rssi = rssi
    }
}
