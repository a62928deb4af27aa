import Telemetry

/// Puts a simulated reading on the wire in a device profile's format: the topic and the
/// payload bytes, exactly as a real device (or its BLE bridge) would publish them.
public enum WireFormat {
    /// The topic and payload of `reading` from `station` in `profile`; heartbeats (`status`)
    /// always travel as canonical JSON.
    public static func encode(_ reading: SimReading, station: String, profile: SimProfile, zoneOffsetMillis: Int64) -> (topic: String, payload: [UInt8]) {
        let base = "care/\(station)/\(reading.device)/"
        switch reading.stream == .status && profile != .senml ? .canonical : profile {
        case .canonical:
            return (base + reading.stream.name, canonical(reading))
        case .senml:
            return (base + "senml", senml(reading))
        case .bleGatt:
            if reading.stream == .bp { return (base + "gatt/2A35", BinaryWire.bloodPressure(reading, zoneOffsetMillis: zoneOffsetMillis)) }
            return (base + "gatt/2A18", BinaryWire.glucose(reading, zoneOffsetMillis: zoneOffsetMillis))
        case .polarPMD:
            return (base + "pmd", BinaryWire.polarECG(reading))
        }
    }

    /// `caregate-json/1` (PROTOCOL.md §1).
    public static func canonical(_ r: SimReading) -> [UInt8] {
        var json = JSONWriter(capacity: r.stream == .ecg ? 16 + r.samples.count * 6 : 128)
        json.object { o in
            o.field("ts", r.ts)
            o.field("seq", r.seq)
            if let resident = r.resident { o.field("resident", resident) }
            switch r.stream {
            case .bp:
                o.field("systolic", r.values[.systolic])
                o.field("diastolic", r.values[.diastolic])
                if let pulse = r.values[.pulse] { o.field("pulse", pulse) }
            case .glucose:
                o.field("mg_dl", r.values[.glucose])
                o.field("context", "random")
            case .sos:
                o.field("cause", r.cause ?? "button")
                if r.cancel { o.field("cancel", true) }
            case .status:
                if let battery = r.values[.battery] { o.field("battery", battery) }
            case .ecg:
                o.field("hz", r.hz)
                o.field("lead", "II")
                o.field("uv_per_lsb", r.uvPerLSB)
                o.key("samples")
                o.array { a in for s in r.samples { a.value(Int(s)) } }
            }
        }
        return json.bytes
    }

    /// A SenML pack (RFC 8428): one record per value, the base time in seconds on the first.
    public static func senml(_ r: SimReading) -> [UInt8] {
        var json = JSONWriter(capacity: 160)
        let seconds = Double(r.ts) / 1000
        json.array { a in
            var first = true
            func record(_ name: String, _ body: (inout JSONWriter) -> Void) {
                a.object { o in
                    if first { o.field("bt", seconds); first = false }
                    o.field("n", name)
                    body(&o)
                }
            }
            switch r.stream {
            case .bp:
                record("systolic") { o in o.field("u", "mmHg"); o.field("v", r.values[.systolic]) }
                record("diastolic") { o in o.field("u", "mmHg"); o.field("v", r.values[.diastolic]) }
                if let pulse = r.values[.pulse] { record("pulse") { o in o.field("u", "beat/min"); o.field("v", pulse) } }
            case .glucose:
                // 1 mg/dL is 0.01 kg/m3.
                record("glucose") { o in o.field("u", "kg/m3"); o.field("v", (r.values[.glucose] ?? 0) / 100) }
            case .sos:
                if r.cancel { record("sos") { o in o.field("vb", false) } } else { record("sos") { o in o.field("vs", r.cause ?? "button") } }
            case .status:
                record("battery") { o in o.field("u", "%EL"); o.field("v", r.values[.battery]) }
            case .ecg:
                break
            }
        }
        return json.bytes
    }
}
