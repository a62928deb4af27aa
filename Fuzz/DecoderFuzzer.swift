// A libFuzzer target over every decoder of DeviceProfiles (issue 4): coverage-guided, with
// AddressSanitizer. Built by `make fuzz` outside SwiftPM (Fuzz/build.sh), so that ordinary
// builds carry no instrumentation. The first byte of an input picks the decoder, the rest is
// the payload; the seeds are the samples of devices/ (Fuzz/seeds.sh writes them).
//
// Beyond "never crash": every reading a decoder accepts must be one the store and the engine
// can trust, so the properties below are checked on each (a violation traps, and libFuzzer
// keeps the input).
import DeviceProfiles
import Telemetry

/// The decoders, by the first byte of the input (modulo their count).
let topics = [
    "care/st01/bp-1/bp", "care/st01/cgm-1/glucose", "care/st01/ecg-1/ecg", "care/st01/sos-1/sos",
    "care/st01/bp-1/status", "care/st01/alerts/ack", "care/st01/hub-1/senml", "care/st01/cuff-1/gatt/2A35",
    "care/st01/meter-1/gatt/2A18", "care/st01/h10-1/pmd", "kiosk/st01/kiosk-1/result", "cgm-bridge/st01/upload",
]

let profiles = ProfileSet(vendors: [
    VendorProfile(
        name: "community-bp-kiosk", topic: TopicPattern("kiosk/{station}/{device}/result")!, stream: .bp,
        time: .init(path: FieldPath("measureTime")!, format: .dateTime), seq: FieldPath("recordId"), resident: FieldPath("idCard"),
        fields: [.init(target: "systolic", path: FieldPath("result.sbp")!, unit: .mmHg),
                 .init(target: "diastolic", path: FieldPath("result.dbp")!, unit: .mmHg),
                 .init(target: "pulse", path: FieldPath("result.pr")!, unit: .perMinute, required: false)]),
    VendorProfile(
        name: "cgm-cloud-bridge", topic: TopicPattern("cgm-bridge/{station}/upload")!, stream: .glucose,
        each: FieldPath("readings"), device: FieldPath("$.sensorSn"), time: .init(path: FieldPath("t")!, format: .seconds),
        seq: FieldPath("idx"), resident: FieldPath("$.patientId"),
        fields: [.init(target: "glucose", path: FieldPath("sg")!, unit: .mmoll)]),
], utcOffsetMinutes: 480)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let topic = topics[Int(data[0]) % topics.count]
    let payload = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    switch profiles.decode(topic: topic, payload: payload, arrival: 1_764_000_000_000) {
    case .success(let message):
        for reading in message.readings { check(reading) }
    case .failure(let rejection):
        precondition(!rejection.detail.isEmpty, "a rejection must say why")
    }
    // The topic parser on arbitrary bytes too.
    _ = CareTopic.parse(String(decoding: payload.prefix(200), as: UTF8.self))
    return 0
}

/// What every accepted reading must be (PROTOCOL.md §1 ranges, stored units).
func check(_ r: Reading) {
    precondition((946_684_800_000..<4_102_444_800_000).contains(r.ts), "ts out of range")
    precondition(r.seq >= 0 && r.seq <= 1 << 53, "seq out of range")
    switch r.value {
    case .bloodPressure(let bp):
        precondition((20...300).contains(bp.systolic) && (20...300).contains(bp.diastolic) && bp.systolic > bp.diastolic)
        if let p = bp.pulse { precondition((20...300).contains(p)) }
    case .glucose(let g):
        precondition((10...1000).contains(g.mgdl))
    case .ecg(let c):
        precondition((50...1000).contains(c.hz) && (1...2000).contains(c.samples.count) && c.microvoltsPerLSB > 0)
    case .sos:
        break
    case .status(let s):
        if let b = s.battery { precondition((0...100).contains(b)) }
        if let q = s.rssi { precondition(q.isFinite) }
    }
}
