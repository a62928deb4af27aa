import Telemetry

extension VendorProfile {
    /// The station and device ids the topic gives, or nil when the topic is not this profile's.
    func matches(_ topic: String) -> (station: String?, device: String?)? {
        self.topic.match(topic)
    }

    /// Decodes a payload that arrived on a topic of this profile, whose placeholder levels held
    /// `station` and `device`. The payload is taken whole or refused whole.
    func decode(station topicStation: String?, device topicDevice: String?, payload: UnsafeRawBufferPointer,
                context: ProfileContext) -> Result<[Reading], Rejection> {
        let root: JSONTree
        switch JSONTree.parse(payload) {
        case .success(let tree): root = tree
        case .failure(let r): return .failure(r)
        }
        return Result { () throws(Rejection) -> [Reading] in
            guard let station = topicStation ?? self.station, CareTopic.isStationID(station) else {
                throw Rejection(.badTopic, "station must be 1–32 characters of a-z, 0-9 and -")
            }
            guard case .object = root else { throw Rejection(.notObject, "the payload must be a JSON object") }
            guard let each else {
                return [try reading(root, root: root, station: station, topicDevice: topicDevice, context: context)]
            }
            guard let batch = each.find(in: root, root: root) else {
                throw Rejection(.missingField, "\(each) is required")
            }
            guard case .array(let elements) = batch, !elements.isEmpty else {
                throw Rejection(.wrongType, "\(each) must be an array of one or more readings")
            }
            var readings: [Reading] = []
            readings.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                do throws(Rejection) {
                    readings.append(try reading(element, root: root, station: station, topicDevice: topicDevice, context: context))
                } catch {
                    throw Rejection(error.kind, "\(each)[\(index)]: \(error.detail)")
                }
            }
            return readings
        }
    }

    private func reading(_ element: JSONTree, root: JSONTree, station: String, topicDevice: String?,
                         context: ProfileContext) throws(Rejection) -> Reading {
        let read = FieldReader(element: element, root: root)
        let deviceID: String
        if let topicDevice {
            deviceID = topicDevice
        } else if let device {
            guard let id = try read.text(device, required: true) else { throw Rejection(.missingField, "\(device) is required") }
            deviceID = id
        } else {
            throw Rejection(.missingField, "the profile names no device")
        }
        guard CareTopic.isDeviceID(deviceID) else {
            let rule = "must be 1–64 characters of A-Z, a-z, 0-9, '.', '_' and '-'"
            if topicDevice != nil { throw Rejection(.badTopic, "device \(rule)") }
            throw Rejection(.outOfRange, "the device id at \(device.map(String.init(describing:)) ?? "?") \(rule)")
        }
        var notes = ReadingNotes()
        var ts = context.arrival
        if let time {
            ts = try ReadingChecks.time(try read.time(time, utcOffsetMinutes: context.utcOffsetMinutes), time.path.description)
        } else {
            notes.insert(.timeOfArrival)
        }
        let seqValue = try seq.map { path throws(Rejection) in try read.integer(path, range: 1...(1 << 53)) } ?? nil
        let resident = try resident.map { path throws(Rejection) in try read.text(path, required: false) } ?? nil
        if let resident, !(1...64).contains(resident.count) {
            throw Rejection(.outOfRange, "\(self.resident!) must be 1–64 characters")
        }
        let value = try self.value(read)
        return Reading(source: DeviceAddress(station: station, device: deviceID), ts: ts, seq: seqValue ?? 0,
                       resident: resident, value: value, notes: notes)
    }

    private func value(_ read: FieldReader) throws(Rejection) -> ReadingValue {
        func number(_ target: String) throws(Rejection) -> Double? {
            guard let field = fields.first(where: { $0.target == target }) else { return nil }
            guard let raw = try read.number(field.path, required: field.required) else { return nil }
            let factor = field.scale * (field.unit?.factor ?? 1)
            return factor == 1 ? raw : CanonicalProfile.converted(raw, factor)
        }
        func word(_ target: String) throws(Rejection) -> (String, FieldPath)? {
            guard let field = fields.first(where: { $0.target == target }) else { return nil }
            return try read.text(field.path, required: field.required).map { ($0, field.path) }
        }
        switch stream {
        case .bp:
            return .bloodPressure(try ReadingChecks.bloodPressure(
                systolic: try number("systolic") ?? 0, diastolic: try number("diastolic") ?? 0, pulse: try number("pulse")))
        case .glucose:
            var context: GlucoseContext?
            if let (w, path) = try word("context") {
                guard let c = GlucoseContext(rawValue: w) else {
                    throw Rejection(.outOfRange, "\(path) must be one of fasting, postprandial, random, bedtime")
                }
                context = c
            }
            return .glucose(try ReadingChecks.glucose(mgdl: try number("glucose") ?? 0, context: context))
        case .sos:
            guard let (w, path) = try word("cause") else { throw Rejection(.missingField, "cause is required") }
            guard let cause = EmergencyCause(rawValue: w) else {
                throw Rejection(.outOfRange, "\(path) must be one of button, fall, pull_cord, voice, other")
            }
            var cancel = false
            if let field = fields.first(where: { $0.target == "cancel" }) {
                cancel = try read.bool(field.path, required: field.required) ?? false
            }
            return .sos(EmergencyCall(cause: cause, cancel: cancel))
        case .status:
            return .status(try ReadingChecks.status(battery: try number("battery"), rssi: try number("rssi")))
        case .ecg:
            throw Rejection(.unsupported, "vendor JSON profiles do not carry ECG; use caregate-json/1 or a binary frame")
        }
    }
}
