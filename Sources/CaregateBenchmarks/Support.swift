import Foundation
import Gateway
import Storage
import Telemetry

/// `--name value` options.
struct BenchmarkOptions {
    var values: [String: String] = [:]

    init(_ arguments: ArraySlice<String>) {
        var it = arguments.makeIterator()
        while let key = it.next() {
            if key.hasPrefix("--"), let value = it.next() { values[String(key.dropFirst(2))] = value }
        }
    }

    func int(_ name: String, _ fallback: Int) -> Int { values[name].flatMap(Int.init) ?? fallback }
    func string(_ name: String) -> String? { values[name] }
}

/// Monotonic nanoseconds.
func nanos() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}

/// CPU time (user + system) of a process so far, in seconds, from /proc/PID/stat.
func cpuSeconds(pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the command: state is field 3; utime and stime are fields 14 and 15.
    let utime = Double(fields[11]) ?? 0
    let stime = Double(fields[12]) ?? 0
    return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// This process's user + system CPU seconds so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return IngestBenchmark.seconds(usage.ru_utime) + IngestBenchmark.seconds(usage.ru_stime)
}

/// The calling thread's user + system CPU seconds so far.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// The middle value (the mean of the two middle ones for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// The p-th percentile (0…100) of sorted values.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[rank]
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

/// The machine, for BENCHMARKS.md.
func machineDescription() -> String {
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu)"
}

/// The executables built next to this one.
func sibling(_ name: String) -> String {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent(name).path
}

/// Realistic canonical payloads from `devices` devices: blood pressure, glucose and heartbeats.
struct StationTraffic {
    let devices: Int
    private var seq: [Int64]
    private var random = SplitMix64(seed: 42)
    let t0: Int64 = 1_732_262_400_000

    init(devices: Int) {
        self.devices = devices
        seq = Array(repeating: 0, count: devices)
    }

    /// The device of index `d`, as `next` names it in its topic.
    static func device(_ d: Int) -> String {
        switch d % 3 {
        case 0: "bp-\(d)"
        case 1: "cgm-\(d)"
        default: "hub-\(d)"
        }
    }

    /// A registry in which every device is registered and has been its resident's (one a device)
    /// since a year before the traffic, after two earlier owners.
    func registry() -> [RegistryEntry] {
        var entries: [RegistryEntry] = []
        for d in 0..<devices {
            entries.append(RegistryEntry(.resident(Resident(id: "r-\(d)", name: "Resident \(d)", station: "st01")), line: 0))
        }
        let year: Int64 = 365 * 86_400_000
        for d in 0..<devices {
            let address = DeviceAddress(station: "st01", device: Self.device(d))
            entries.append(RegistryEntry(.device(RegisteredDevice(address: address), assignTo: "r-\((d + 2) % devices)", from: t0 - 3 * year), line: 0))
            entries.append(RegistryEntry(.device(RegisteredDevice(address: address), assignTo: "r-\((d + 1) % devices)", from: t0 - 2 * year), line: 0))
            entries.append(RegistryEntry(.device(RegisteredDevice(address: address), assignTo: "r-\(d)", from: t0 - year), line: 0))
        }
        return entries
    }

    mutating func next(_ i: Int, ts: Int64? = nil) -> (topic: String, payload: [UInt8]) {
        let d = i % devices
        seq[d] += 1
        let time = ts ?? (t0 + Int64(i))
        switch d % 3 {
        case 0:
            // About 1 reading in 100 is high enough to raise or keep an alert.
            let s = random.next() % 100 == 0 ? 172 : 112 + Int(random.next() % 36)
            return ("care/st01/bp-\(d)/bp", Array(#"{"ts":\#(time),"seq":\#(seq[d]),"systolic":\#(s),"diastolic":\#(s - 50),"pulse":72}"#.utf8))
        case 1:
            return ("care/st01/cgm-\(d)/glucose", Array(#"{"ts":\#(time),"seq":\#(seq[d]),"mg_dl":\#(90 + random.next() % 60),"context":"random"}"#.utf8))
        default:
            return ("care/st01/hub-\(d)/status", Array(#"{"ts":\#(time),"seq":\#(seq[d]),"battery":\#(40 + random.next() % 60),"rssi":-61}"#.utf8))
        }
    }
}
enum BenchmarkError: Error { case undelivered }
