/// Something a device or profile said about a reading besides its values: the device's
/// measurement or sensor status (Bluetooth 0x2A35, 0x2A18), the specimen a glucose value was
/// measured in, and where the reading's time came from. Stored with the reading and shown by
/// `caregate query`; their words are what is stored, so a word never changes meaning.
public enum ReadingNote: UInt8, Sendable, CaseIterable {
    /// The payload carried no time: `ts` is the gateway's time of arrival.
    case timeOfArrival
    /// The device's clock was unset (a GATT time stamp with year 0 or month 0): `ts` is the time of arrival.
    case deviceTimeUnknown

    // Blood pressure measurement status (0x2A35).
    case bodyMovement
    case cuffTooLoose
    case irregularPulse
    case pulseAboveRange
    case pulseBelowRange
    case improperPosition
    /// The pulse rate was an SFLOAT special value (NaN, NRes, ±INF): not stored as a number.
    case pulseUnavailable

    // Glucose specimen (0x2A18 type nibble) and sample location (high nibble).
    case capillaryWholeBlood
    case capillaryPlasma
    case venousWholeBlood
    case venousPlasma
    case arterialWholeBlood
    case arterialPlasma
    case undeterminedWholeBlood
    case undeterminedPlasma
    case interstitialFluid
    /// A meter's check with control solution, not a measurement of the resident: stored, never alerted on.
    case controlSolution
    case finger
    case alternateSite
    case earlobe

    // Glucose sensor status annunciation (0x2A18).
    case batteryLow
    case sensorMalfunction
    case sampleSizeInsufficient
    case stripInsertionError
    case stripTypeIncorrect
    case resultAboveRange
    case resultBelowRange
    case temperatureTooHigh
    case temperatureTooLow
    case readInterrupted
    case deviceFault
    case timeFault

    /// The word stored and shown for this note.
    public var word: String {
        switch self {
        case .timeOfArrival: "time_of_arrival"
        case .deviceTimeUnknown: "device_time_unknown"
        case .bodyMovement: "body_movement"
        case .cuffTooLoose: "cuff_too_loose"
        case .irregularPulse: "irregular_pulse"
        case .pulseAboveRange: "pulse_above_range"
        case .pulseBelowRange: "pulse_below_range"
        case .improperPosition: "improper_position"
        case .pulseUnavailable: "pulse_unavailable"
        case .capillaryWholeBlood: "capillary_whole_blood"
        case .capillaryPlasma: "capillary_plasma"
        case .venousWholeBlood: "venous_whole_blood"
        case .venousPlasma: "venous_plasma"
        case .arterialWholeBlood: "arterial_whole_blood"
        case .arterialPlasma: "arterial_plasma"
        case .undeterminedWholeBlood: "undetermined_whole_blood"
        case .undeterminedPlasma: "undetermined_plasma"
        case .interstitialFluid: "interstitial_fluid"
        case .controlSolution: "control_solution"
        case .finger: "finger"
        case .alternateSite: "alternate_site"
        case .earlobe: "earlobe"
        case .batteryLow: "battery_low"
        case .sensorMalfunction: "sensor_malfunction"
        case .sampleSizeInsufficient: "sample_size_insufficient"
        case .stripInsertionError: "strip_insertion_error"
        case .stripTypeIncorrect: "strip_type_incorrect"
        case .resultAboveRange: "result_above_range"
        case .resultBelowRange: "result_below_range"
        case .temperatureTooHigh: "temperature_too_high"
        case .temperatureTooLow: "temperature_too_low"
        case .readInterrupted: "read_interrupted"
        case .deviceFault: "device_fault"
        case .timeFault: "time_fault"
        }
    }

    /// The note a stored word names; nil for a word this version does not know.
    public init?(word: some StringProtocol) {
        guard let note = Self.allCases.first(where: { $0.word == word }) else { return nil }
        self = note
    }
}

/// The notes of one reading: a set of `ReadingNote`s in one word, so that a decoder notes
/// what a device said without allocating. Listed, stored and shown in `ReadingNote` order.
public struct ReadingNotes: Sendable, Equatable, Sequence, ExpressibleByArrayLiteral {
    /// Bit k is the note whose raw value is k; only the process uses it, the store keeps words.
    @usableFromInline var bits: UInt64 = 0

    @inlinable public init() {}

    public init(arrayLiteral notes: ReadingNote...) {
        for note in notes { insert(note) }
    }

    @inlinable
    static func bit(_ note: ReadingNote) -> UInt64 { 1 << UInt64(note.rawValue) }

    @inlinable public var isEmpty: Bool { bits == 0 }

    @inlinable public mutating func insert(_ note: ReadingNote) { bits |= Self.bit(note) }

    @inlinable public func contains(_ note: ReadingNote) -> Bool { bits & Self.bit(note) != 0 }

    @inlinable public mutating func formUnion(_ other: ReadingNotes) { bits |= other.bits }

    public func makeIterator() -> some IteratorProtocol<ReadingNote> {
        var rest = bits
        return AnyIterator {
            guard rest != 0 else { return nil }
            let k = rest.trailingZeroBitCount
            rest &= rest - 1
            return ReadingNote(rawValue: UInt8(k))
        }
    }

    /// Notes as stored: their words separated by spaces, nil when there are none.
    public var stored: String? {
        isEmpty ? nil : map(\.word).joined(separator: " ")
    }

    /// Notes read back from their stored words; words this version does not know are skipped.
    public init(stored text: String?) {
        guard let text else { return }
        for word in text.split(separator: " ") {
            if let note = ReadingNote(word: word) { insert(note) }
        }
    }
}
