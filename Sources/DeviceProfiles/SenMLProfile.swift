import Telemetry

/// The `senml` profile: a SenML pack (RFC 8428, JSON) on `care/{station}/{device}/senml`
/// (PROTOCOL.md §1, Other built-in profiles; `devices/senml/README.md`).
///
/// Base name, time, unit and value are resolved as the RFC says, record by record. A record is
/// read by the last part of its name (after the last `:` or `/`): `systolic`, `diastolic`,
/// `pulse`, `glucose`, `battery`, `sos`; other names are ignored, as the RFC lets a reader do.
/// The records of one time form one reading per stream; a pack with several times gives
/// several readings. Units are converted to the stored ones (Pa → mmHg, kg/m3 and mol/m3 →
/// mg/dL, 1/s → /min). A time below 2^28 is relative to now: the reading's time comes from the
/// time of arrival and says so. SenML has no sequence number: duplicates are recognised by
/// device, stream and time.
///
/// The pack is taken whole or refused whole: one bad record refuses it, with the record's index.
enum SenMLProfile {
    /// The highest base version this reader understands (RFC 8428).
    static let version = 10
    /// Times below this are relative to now, in seconds (RFC 8428 §4.5.3).
    static let relativeTimeLimit = 268_435_456.0

    static func decode(_ payload: UnsafeRawBufferPointer, source: DeviceAddress, context: ProfileContext)
        -> Result<[Reading], Rejection>
    {
        let tree: JSONTree
        switch JSONTree.parse(payload) {
        case .success(let t): tree = t
        case .failure(let r): return .failure(r)
        }
        return Result { () throws(Rejection) -> [Reading] in
            guard case .array(let records) = tree else {
                throw Rejection(.notObject, "a SenML pack must be a JSON array of records")
            }
            var pack = Pack(context: context)
            for (index, record) in records.enumerated() {
                do throws(Rejection) {
                    try pack.read(record)
                } catch {
                    throw Rejection(error.kind, "record \(index + 1): \(error.detail)")
                }
            }
            return try pack.readings(source: source)
        }
    }
}

extension SenMLProfile {
    /// The measurements a pack names, and the base fields in force while it is read.
    struct Pack {
        let context: ProfileContext
        var baseName = ""
        var baseTime = 0.0
        var baseUnit: String?
        var baseValue = 0.0
        /// Measurements by (time, name), in the order first seen.
        var times: [Int64] = []
        var values: [Int64: [String: Measured]] = [:]
        var relative: Set<Int64> = []

        init(context: ProfileContext) {
            self.context = context
        }

        enum Measured: Equatable {
            case number(Double)
            case call(EmergencyCause)
            case cancel
        }

        mutating func read(_ record: JSONTree) throws(Rejection) {
            guard case .object(let members) = record else {
                throw Rejection(.wrongType, "a SenML record must be a JSON object")
            }
            for m in members where m.name.hasSuffix("_") {
                throw Rejection(.unsupported, "the field \(m.name) must be understood and this reader does not know it")
            }
            if let bver = record["bver"] {
                guard case .number(let v, true) = bver else { throw Rejection(.wrongType, "bver must be an integer") }
                guard v <= Double(SenMLProfile.version) else {
                    throw Rejection(.unsupported, "bver is newer than this reader understands (\(SenMLProfile.version))")
                }
            }
            if let bn = record["bn"] { baseName = try Self.text(bn, "bn") }
            if let bt = record["bt"] { baseTime = try Self.number(bt, "bt") }
            if let bu = record["bu"] { baseUnit = try Self.text(bu, "bu") }
            if let bv = record["bv"] { baseValue = try Self.number(bv, "bv") }

            let name = baseName + (try record["n"].map { v throws(Rejection) in try Self.text(v, "n") } ?? "")
            guard !name.isEmpty else {
                // A record of base fields only carries no measurement.
                if Self.valueFields.contains(where: { record[$0] != nil }) {
                    throw Rejection(.missingField, "a record with a value needs a name (bn and n)")
                }
                return
            }
            guard Self.isValidName(name) else {
                throw Rejection(.outOfRange, "a name must start with a letter or digit and hold only A-Z a-z 0-9 : . / _ -")
            }
            let key = String(name.split(whereSeparator: { $0 == ":" || $0 == "/" }).last ?? "")
            guard Self.known.contains(key) else { return }

            let unit = try record["u"].map { v throws(Rejection) in try Self.text(v, "u") } ?? baseUnit
            let seconds = baseTime + (try record["t"].map { v throws(Rejection) in try Self.number(v, "t") } ?? 0)
            let measured = try Self.measurement(key, unit: unit, record: record, baseValue: baseValue)
            // A relative time is checked like an absolute one: −1.8e9 s before now is 1970.
            let isRelative = seconds < SenMLProfile.relativeTimeLimit
            let total = (seconds * 1000).rounded() + (isRelative ? Double(context.arrival) : 0)
            let ms = try ReadingChecks.time(Int64(exactly: total) ?? .max, "t")
            if values[ms] == nil {
                times.append(ms)
                values[ms] = [:]
            }
            if isRelative { relative.insert(ms) }
            guard values[ms]![key] == nil else {
                throw Rejection(.duplicateKey, "\(key) is given twice for one time")
            }
            values[ms]![key] = measured
        }

        /// The readings of the pack: per time, one per stream, in time order.
        func readings(source: DeviceAddress) throws(Rejection) -> [Reading] {
            guard !times.isEmpty else {
                throw Rejection(.missingField, "the pack names none of systolic, diastolic, pulse, glucose, battery, sos")
            }
            var out: [Reading] = []
            for ms in times.sorted() {
                let v = values[ms]!
                let notes: ReadingNotes = relative.contains(ms) ? [.timeOfArrival] : []
                func reading(_ value: ReadingValue) -> Reading {
                    Reading(source: source, ts: ms, seq: 0, value: value, notes: notes)
                }
                if v["systolic"] != nil || v["diastolic"] != nil || v["pulse"] != nil {
                    guard case .number(let sys)? = v["systolic"], case .number(let dia)? = v["diastolic"] else {
                        throw Rejection(.missingField, "systolic and diastolic must both be given for one time (pulse alone is not read)")
                    }
                    var pulse: Double?
                    if case .number(let p)? = v["pulse"] { pulse = p }
                    out.append(reading(.bloodPressure(try ReadingChecks.bloodPressure(systolic: sys, diastolic: dia, pulse: pulse))))
                }
                if case .number(let mgdl)? = v["glucose"] {
                    out.append(reading(.glucose(try ReadingChecks.glucose(mgdl: mgdl))))
                }
                if case .number(let percent)? = v["battery"] {
                    out.append(reading(.status(DeviceStatus(battery: try ReadingChecks.battery(percent)))))
                }
                switch v["sos"] {
                case .call(let cause)?: out.append(reading(.sos(EmergencyCall(cause: cause))))
                case .cancel?: out.append(reading(.sos(EmergencyCall(cause: .other, cancel: true))))
                default: break
                }
            }
            return out
        }

        static let known: Set<String> = ["systolic", "diastolic", "pulse", "glucose", "battery", "sos"]
        static let valueFields = ["v", "vs", "vb", "vd", "s"]

        /// A record's value in stored units.
        static func measurement(_ key: String, unit: String?, record: JSONTree, baseValue: Double) throws(Rejection) -> Measured {
            if key == "sos" {
                if let vs = record["vs"] {
                    let word = try text(vs, "vs")
                    guard let cause = EmergencyCause(rawValue: word) else {
                        throw Rejection(.outOfRange, "sos vs must be one of button, fall, pull_cord, voice, other")
                    }
                    return .call(cause)
                }
                guard let vb = record["vb"] else {
                    throw Rejection(.missingField, "sos needs vs (the cause of a call) or vb (true: a call, false: a cancel)")
                }
                guard case .bool(let b) = vb else { throw Rejection(.wrongType, "vb must be true or false") }
                return b ? .call(.other) : .cancel
            }
            guard let v = record["v"] else {
                throw Rejection(.missingField, "\(key) needs a numeric value v")
            }
            let value = baseValue + (try number(v, "v"))
            guard let unit else {
                throw Rejection(.missingField, "\(key) needs a unit (u or bu): \(units[key] ?? "")")
            }
            guard let factor = factor(key, unit) else {
                throw Rejection(.outOfRange, "\(key) must be in one of \(units[key] ?? "")")
            }
            return .number(factor == 1 ? value : CanonicalProfile.converted(value, factor))
        }

        /// The units each measurement may come in, as SenML registers them first.
        static let units = [
            "systolic": "Pa, hPa, kPa, mmHg", "diastolic": "Pa, hPa, kPa, mmHg", "pulse": "1/s, beat/min, 1/min",
            "glucose": "kg/m3, mol/m3, mg/dL, mmol/L", "battery": "%EL, %",
        ]

        /// The factor from `unit` to the stored unit, or nil for a unit `key` is not given in.
        static func factor(_ key: String, _ unit: String) -> Double? {
            switch (key, unit) {
            case ("systolic", "Pa"), ("diastolic", "Pa"): CanonicalProfile.mmHgPerKPa / 1000
            case ("systolic", "hPa"), ("diastolic", "hPa"): CanonicalProfile.mmHgPerKPa / 10
            case ("systolic", "kPa"), ("diastolic", "kPa"): CanonicalProfile.mmHgPerKPa
            case ("systolic", "mmHg"), ("diastolic", "mmHg"): 1
            case ("pulse", "1/s"): 60
            case ("pulse", "beat/min"), ("pulse", "1/min"): 1
            case ("glucose", "kg/m3"): 100
            case ("glucose", "mol/m3"), ("glucose", "mmol/L"): CanonicalProfile.mgdlPerMmolL
            case ("glucose", "mg/dL"): 1
            case ("battery", "%EL"), ("battery", "%"): 1
            default: nil
            }
        }

        static func isValidName(_ name: String) -> Bool {
            var first = true
            for b in name.utf8 {
                let alnum = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                if first {
                    guard alnum else { return false }
                    first = false
                } else {
                    guard alnum || b == 0x3A || b == 0x2E || b == 0x2F || b == 0x5F || b == 0x2D else { return false }
                }
            }
            return true
        }

        static func text(_ v: JSONTree, _ field: String) throws(Rejection) -> String {
            guard case .string(let s) = v else { throw Rejection(.wrongType, "\(field) must be a string") }
            return s
        }

        static func number(_ v: JSONTree, _ field: String) throws(Rejection) -> Double {
            guard case .number(let d, _) = v else { throw Rejection(.wrongType, "\(field) must be a number") }
            return d
        }
    }
}
