import Foundation
import Storage
import Telemetry

/// Attribution, the registry's work on every reading: a personal device's assignment at the
/// reading's time, a kiosk's reading naming its resident by ID-card number, a device the
/// registry does not know. In-process, no I/O.
enum RegistryBenchmark {
    static func run(devices: Int) {
        let traffic = StationTraffic(devices: devices)
        var residents: [Resident] = []
        var registered: [RegisteredDevice] = []
        for entry in traffic.registry() {
            switch entry.change {
            case .resident(var r):
                r.identifiers = ["11010119500307\(String(format: "%04d", residents.count % 10_000))"]
                residents.append(r)
            case .device(let device, let resident, let from):
                let assignment = Assignment(resident: resident!, from: from!)
                if let i = registered.firstIndex(where: { $0.address == device.address }) {
                    registered[i].assignments[registered[i].assignments.count - 1].to = from
                    registered[i].assignments.append(assignment)
                } else {
                    var d = device
                    d.assignments = [assignment]
                    registered.append(d)
                }
            }
        }
        let kiosk = RegisteredDevice(address: DeviceAddress(station: "st01", device: "kiosk-01"), kind: .bp, shared: true)
        let registry = Registry(residents: residents, devices: registered + [kiosk])
        let value = ReadingValue.bloodPressure(BloodPressure(systolic: 120, diastolic: 80))
        let cases: [(String, Reading)] = [
            ("personal device, assignment at ts", Reading(source: registered[devices / 2].address, ts: traffic.t0, seq: 1, value: value)),
            ("kiosk, ID-card number named", Reading(source: kiosk.address, ts: traffic.t0, seq: 1, resident: residents[7].identifiers[0], value: value)),
            ("unknown device", Reading(source: DeviceAddress(station: "st01", device: "stranger-1"), ts: traffic.t0, seq: 1, value: value)),
        ]
        print("## registry: attribution of one reading, \(devices) devices with 3 assignments each (ns per reading, median of 9 runs of 1,000,000)")
        for (name, reading) in cases {
            var runs: [Double] = []
            var sink = 0
            for _ in 0..<9 {
                let start = nanos()
                for _ in 0..<1_000_000 {
                    var r = reading
                    if registry.attribute(&r) == .assigned { sink &+= 1 }
                    sink &+= r.resident?.utf8.count ?? 0
                }
                runs.append(Double(nanos() - start) / 1_000_000)
            }
            runs.sort()
            print("attribute \(name): \(format(runs[4], 0)) ns  [min \(format(runs[0], 0)), max \(format(runs[8], 0))]  (\(sink % 2))")
        }
    }
}
