/// Something a device or profile said about a reading besides its values: the device's
/// measurement or sensor status (Bluetooth 0x2A35, 0x2A18), the specimen a glucose value was
/// measured in, and where the reading's time came from. Stored with the reading and shown by
/// `caregate query`; the raw values are the words stored, so they never change meaning.
public enum ReadingNote: String, Sendable, CaseIterable {
    /// The payload carried no time: `ts` is the gateway's time of arrival.
    case timeOfArrival = "time_of_arrival"
    /// The device's clock was unset (a GATT time stamp with year 0 or month 0): `ts` is the time of arrival.
    case deviceTimeUnknown = "device_time_unknown"

    // Blood pressure measurement status (0x2A35).
    case bodyMovement = "body_movement"
    case cuffTooLoose = "cuff_too_loose"
    case irregularPulse = "irregular_pulse"
    case pulseAboveRange = "pulse_above_range"
    case pulseBelowRange = "pulse_below_range"
    case improperPosition = "improper_position"
    /// The pulse rate was an SFLOAT special value (NaN, NRes, ±INF): not stored as a number.
    case pulseUnavailable = "pulse_unavailable"

    // Glucose sensor status annunciation (0x2A18).
    case batteryLow = "battery_low"
    case sensorMalfunction = "sensor_malfunction"
    case sampleSizeInsufficient = "sample_size_insufficient"
    case stripInsertionError = "strip_insertion_error"
    case stripTypeIncorrect = "strip_type_incorrect"
    case resultAboveRange = "result_above_range"
    case resultBelowRange = "result_below_range"
    case temperatureTooHigh = "temperature_too_high"
    case temperatureTooLow = "temperature_too_low"
    case readInterrupted = "read_interrupted"
    case deviceFault = "device_fault"
    case timeFault = "time_fault"

    // Glucose specimen (0x2A18 type nibble) and sample location (high nibble).
    case capillaryWholeBlood = "capillary_whole_blood"
    case capillaryPlasma = "capillary_plasma"
    case venousWholeBlood = "venous_whole_blood"
    case venousPlasma = "venous_plasma"
    case arterialWholeBlood = "arterial_whole_blood"
    case arterialPlasma = "arterial_plasma"
    case undeterminedWholeBlood = "undetermined_whole_blood"
    case undeterminedPlasma = "undetermined_plasma"
    case interstitialFluid = "interstitial_fluid"
    /// A meter's check with control solution, not a measurement of the resident: stored, never alerted on.
    case controlSolution = "control_solution"
    case finger
    case alternateSite = "alternate_site"
    case earlobe

    /// Notes as stored: their words separated by spaces, nil when there are none.
    public static func stored(_ notes: [ReadingNote]) -> String? {
        notes.isEmpty ? nil : notes.map(\.rawValue).joined(separator: " ")
    }

    /// Notes read back from their stored words; words this version does not know are skipped.
    public static func parse(stored text: String?) -> [ReadingNote] {
        guard let text else { return [] }
        return text.split(separator: " ").compactMap { ReadingNote(rawValue: String($0)) }
    }
}
