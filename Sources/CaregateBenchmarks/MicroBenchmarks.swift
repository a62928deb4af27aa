import AlertEngine
import DeviceProfiles
import Foundation
import Telemetry

/// The pure parts alone, in-process.
enum MicroBenchmarks {
    static func decode(only: String? = nil) {
        let source = DeviceAddress(station: "st01", device: "bp-000123")
        let cases: [(String, StreamKind, String)] = [
            ("bp", .bp, #"{"ts":1732262400123,"seq":17,"systolic":142,"diastolic":91,"pulse":78}"#),
            ("glucose", .glucose, #"{"ts":1732262400123,"seq":288,"mg_dl":65.0,"context":"random"}"#),
            ("status", .status, #"{"ts":1732262400000,"seq":99,"battery":87}"#),
        ]
        print("## decode: canonical JSON, full validation, payload only (ns per message, median of 9 runs of 200,000)")
        for (name, stream, text) in cases where only == nil {
            let payload = Array(text.utf8)
            var runs: [Double] = []
            var sink = 0
            for _ in 0..<9 {
                let start = nanos()
                for _ in 0..<200_000 {
                    if case .success(let r) = CanonicalProfile.decode(source: source, stream: stream, payload: payload) { sink &+= Int(r.seq) }
                }
                runs.append(Double(nanos() - start) / 200_000)
            }
            runs.sort()
            print("decode \(name) (\(payload.count) B): \(format(runs[4], 0)) ns  [min \(format(runs[0], 0)), max \(format(runs[8], 0))]  (\(sink % 2))")
        }
        profiles(only: only)
    }

    /// Every profile as the gateway runs it: the topic parsed and the payload decoded into
    /// readings by `ProfileSet.decode`; the kiosk's vendor profile as devices/community-bp-kiosk declares it.
    static func profiles(only: String?) {
        let kiosk = VendorProfile(
            name: "community-bp-kiosk", topic: TopicPattern("kiosk/{station}/{device}/result")!, stream: .bp,
            time: .init(path: FieldPath("measureTime")!, format: .dateTime), seq: FieldPath("recordId"),
            resident: FieldPath("idCard"),
            fields: [.init(target: "systolic", path: FieldPath("result.sbp")!, unit: .mmHg),
                     .init(target: "diastolic", path: FieldPath("result.dbp")!, unit: .mmHg),
                     .init(target: "pulse", path: FieldPath("result.pr")!, unit: .perMinute, required: false)])
        let set = ProfileSet(vendors: [kiosk], utcOffsetMinutes: 480)
        let hex: (String) -> [UInt8] = { text in
            let digits = Array(text.filter { !$0.isWhitespace })
            return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
        }
        let h10 = hex("00 00 00 87 15 D8 AF 57 0B 00") + (0..<73).flatMap { k -> [UInt8] in
            let v = Int32(k * 37 % 2000 - 1000)
            return [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v >> 16)]
        }
        let cases: [(String, String, [UInt8])] = [
            ("caregate-json/1 bp", "care/st01/bp-000123/bp", Array(#"{"ts":1732262400123,"seq":17,"systolic":142,"diastolic":91,"pulse":78}"#.utf8)),
            ("ble-gatt 2A35, all fields", "care/st01/cuff-0042/gatt/2A35", hex("1E 8A00 5800 7800 E907 0B 18 08 1E 00 3C00 01 0000")),
            ("ble-gatt 2A35, kPa, status", "care/st01/cuff-0042/gatt/2A35", hex("15 BDF0 0B00 9FF0 3C00 1200")),
            ("ble-gatt 2A18, offset, status", "care/st01/meter-0007/gatt/2A18", hex("0B 2A00 E907 0B 18 07 37 00 0500 64B0 11 0000")),
            ("polar-pmd H10 frame, 73 samples", "care/st01/h10-0003/pmd", h10),
            ("senml bp pack", "care/st01/hub-0009/senml", Array(#"[{"bn":"urn:dev:mac:0024befffe804ff1:","bt":1764000000,"n":"systolic","u":"Pa","v":18665},{"n":"diastolic","u":"Pa","v":11999},{"n":"pulse","u":"1/s","v":1.2}]"#.utf8)),
            ("vendor kiosk", "kiosk/st01/kiosk-02/result", Array(#"{"recordId":10023,"idCard":"110101195003070011","name":"x","measureTime":"2025-11-24 08:30:15","result":{"sbp":"152","dbp":"95","pr":"76"}}"#.utf8)),
        ]
        print("## decode: every profile, payload only, the topic parsed before (ns per message, median of 9 runs of 100,000)")
        for (name, topic, payload) in cases where only.map(name.contains) ?? true {
            guard case .success(let target) = CareTopic.parse(topic) else { continue }
            measure(name, payload) { set.decode(target, payload: $0, arrival: 1_764_000_000_000) }
        }
        print("## decode: every profile through ProfileSet.decode, topic and payload (ns per message, median of 9 runs of 100,000)")
        for (name, topic, payload) in cases where only == nil {
            measure(name, payload) { set.decode(topic: topic, payload: $0, arrival: 1_764_000_000_000) }
        }
    }

    private static func measure(_ name: String, _ payload: [UInt8],
                                _ decode: (UnsafeRawBufferPointer) -> Result<DeviceMessage, Rejection>) {
        var runs: [Double] = []
        var sink = 0
        payload.withUnsafeBytes { bytes in
            for _ in 0..<9 {
                let start = nanos()
                for _ in 0..<100_000 {
                    switch decode(bytes) {
                    case .success(.reading(let r)): sink &+= Int(r.ts & 1)
                    case .success(.readings(let rs)): sink &+= rs.count
                    default: fatalError("\(name) does not decode")
                    }
                }
                runs.append(Double(nanos() - start) / 100_000)
            }
        }
        runs.sort()
        print("decode \(name) (\(payload.count) B): \(format(runs[4], 0)) ns  [min \(format(runs[0], 0)), max \(format(runs[8], 0))]  (\(sink % 2))")
    }
}
