import Storage
import Telemetry

/// A small station of residents with realistic traffic for `caregate demo`: twice-a-minute blood
/// pressure (accelerated), a CGM, heartbeats, and now and then a hypertensive crisis, a
/// hypoglycaemia episode and an emergency call that is cancelled. Deterministic for a seed.
public struct DemoStation: Sendable {
    public struct Resident: Sendable {
        public var id: String
        public var name: String
        public var bpDevice: String
        public var sosDevice: String
        public var cgmDevice: String?
        var baseline: (systolic: Double, diastolic: Double, pulse: Double)
    }

    /// One message to publish.
    public struct Message: Sendable {
        public var topic: String
        public var payload: [UInt8]
    }

    public let station: String
    public let residents: [Resident]
    private var random: SplitMix64
    private var sequence: [String: Int64] = [:]
    private var tick = 0

    public init(station: String, seed: UInt64 = 2026) {
        self.station = station
        random = SplitMix64(seed: seed)
        residents = [
            Resident(id: "r-0001", name: "Wang Xiuying 王秀英", bpDevice: "bp-0001", sosDevice: "sos-0001", cgmDevice: nil, baseline: (142, 86, 72)),
            Resident(id: "r-0002", name: "Li Guilan 李桂兰", bpDevice: "bp-0002", sosDevice: "sos-0002", cgmDevice: "cgm-0002", baseline: (128, 78, 80)),
            Resident(id: "r-0003", name: "Zhang Wei 张伟", bpDevice: "bp-0003", sosDevice: "sos-0003", cgmDevice: nil, baseline: (151, 92, 66)),
            Resident(id: "r-0004", name: "Liu Shuzhen 刘淑珍", bpDevice: "bp-0004", sosDevice: "sos-0004", cgmDevice: "cgm-0004", baseline: (118, 72, 76)),
            Resident(id: "r-0005", name: "Chen Jianguo 陈建国", bpDevice: "bp-0005", sosDevice: "sos-0005", cgmDevice: nil, baseline: (135, 84, 58)),
        ]
    }

    /// The station's registry: each resident with their cuff, emergency button and CGM, theirs
    /// from `from` (ms). The visiting cuff `bp-guest` is left out on purpose: its one reading
    /// raises `device.unregistered`.
    public func registryEntries(from: Int64) -> [RegistryEntry] {
        var entries: [RegistryEntry] = []
        for (i, r) in residents.enumerated() {
            var resident = Telemetry.Resident(id: r.id, name: r.name, station: station, careTeam: ["dr-chen", "nurse-li"])
            // Resident 3's family doctor keeps his blood pressure under a tighter target.
            if i == 2 { resident.limits = ["bp.high": ["systolic >= 156", "diastolic >= 98"]] }
            entries.append(RegistryEntry(.resident(resident), line: 0))
            let devices: [(String, StreamKind)] = [(r.bpDevice, .bp), (r.sosDevice, .sos)] + (r.cgmDevice.map { [($0, StreamKind.glucose)] } ?? [])
            for (device, kind) in devices {
                entries.append(RegistryEntry(.device(RegisteredDevice(address: DeviceAddress(station: station, device: device), kind: kind, profile: "canonical"),
                                                     assignTo: r.id, from: from), line: 0))
            }
        }
        return entries
    }

    /// The name of the resident who uses `device`, for the demo's printout.
    public func residentName(device: String) -> String? {
        residents.first { [$0.bpDevice, $0.sosDevice, $0.cgmDevice].contains(device) }?.name
    }

    /// The messages of the next second of the station's life, at device time `now` (ms).
    public mutating func nextSecond(now: Int64) -> [Message] {
        tick += 1
        var out: [Message] = []
        for (index, resident) in residents.enumerated() {
            // Blood pressure every 5 s per resident, staggered; resident 1 has a crisis every ~40 s.
            if (tick + index) % 5 == 0 {
                let crisis = index == 0 && tick % 40 < 5
                let low = index == 4 && tick % 60 < 5
                var systolic = resident.baseline.systolic + random.normal() * 6
                var diastolic = resident.baseline.diastolic + random.normal() * 4
                if crisis { systolic = 186 + random.normal() * 3; diastolic = 112 + random.normal() * 2 }
                if low { systolic = 86 + random.normal() * 2; diastolic = 55 + random.normal() * 2 }
                let pulse = resident.baseline.pulse + random.normal() * 4
                out.append(message(resident.bpDevice, .bp, now) { o in
                    o.field("systolic", systolic.rounded())
                    o.field("diastolic", diastolic.rounded())
                    o.field("pulse", pulse.rounded())
                })
            }
            // A CGM every 3 s; resident 4 slides into hypoglycaemia for part of every ~90 s.
            if let cgm = resident.cgmDevice, (tick + index) % 3 == 0 {
                let phase = tick % 90
                let dip = index == 3 && phase >= 60 ? max(48, 110 - Double(phase - 60) * 4) : 110
                let value = (dip + random.normal() * 3).rounded()
                out.append(message(cgm, .glucose, now) { o in
                    o.field("mg_dl", value)
                    o.field("context", "random")
                })
            }
            // Heartbeats every 10 s.
            if (tick + index) % 10 == 0 {
                out.append(message(resident.sosDevice, .status, now) { o in o.field("battery", 90 - Double(index) * 17) })
            }
        }
        // Zhang Wei falls every ~75 s and cancels the call 10 s later.
        if tick % 75 == 30 {
            out.append(message(residents[2].sosDevice, .sos, now) { o in o.field("cause", "fall") })
        } else if tick % 75 == 40 {
            out.append(message(residents[2].sosDevice, .sos, now) { o in
                o.field("cause", "fall")
                o.field("cancel", true)
            })
        }
        // A visitor's cuff the registry does not know: one device.unregistered, however often it sends.
        if tick % 45 == 8 {
            out.append(message("bp-guest", .bp, now) { o in
                o.field("systolic", 131)
                o.field("diastolic", 83)
            })
        }
        // Now and then a device sends something broken, which lands in quarantine.
        if tick % 50 == 25 {
            out.append(Message(topic: "care/\(station)/bp-0003/bp", payload: Array(#"{"ts":"yesterday","systolic":120}"#.utf8)))
        }
        return out
    }

    private mutating func message(_ device: String, _ stream: StreamKind, _ now: Int64, _ fields: (inout JSONWriter) -> Void) -> Message {
        let key = "\(device)/\(stream.name)"
        let seq = (sequence[key] ?? 0) + 1
        sequence[key] = seq
        var json = JSONWriter(capacity: 128)
        json.object { o in
            o.field("ts", now)
            o.field("seq", seq)
            fields(&o)
        }
        return Message(topic: "care/\(station)/\(device)/\(stream.name)", payload: json.bytes)
    }
}
