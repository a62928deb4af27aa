import AlertEngine
import Telemetry

let bedside = DeviceAddress(station: "st01", device: "bp-000123")
let t0: Int64 = 1_732_262_400_000

/// Readings with increasing seq and ts, one device.
struct ReadingSequence {
    var source = bedside
    var seq: Int64 = 0

    mutating func next(_ value: ReadingValue, resident: String? = nil) -> Reading {
        seq += 1
        return Reading(source: source, ts: t0 + seq * 60_000, seq: seq, resident: resident, value: value)
    }
}

func bp(_ systolic: Double, _ diastolic: Double, pulse: Double? = nil) -> ReadingValue {
    .bloodPressure(BloodPressure(systolic: systolic, diastolic: diastolic, pulse: pulse))
}

func glucose(_ mgdl: Double) -> ReadingValue { .glucose(Glucose(mgdl: mgdl)) }

func battery(_ percent: Double) -> ReadingValue { .status(DeviceStatus(battery: percent)) }

func sos(cancel: Bool = false) -> ReadingValue { .sos(EmergencyCall(cause: .fall, cancel: cancel)) }

extension AlertEngine {
    /// Ingests one reading on a fresh sequence and returns the (kind, rule, priority) of its events.
    static func firstEvents(_ value: ReadingValue) -> [String] {
        var engine = AlertEngine()
        var readings = ReadingSequence()
        return engine.ingest(readings.next(value), now: t0).events.map { "\($0.kind.rawValue) \($0.rule) \($0.priority.name)" }
    }
}
