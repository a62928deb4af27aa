import DeviceProfiles
import Foundation
import Telemetry
import Testing

/// Walks `devices/caregate-json/samples/<case>/`: each folder holds `topic`, `payload.json`
/// and either `expected.jsonl` (the readings it must give) or `rejected` (the reason).
@Suite("Golden samples: devices/caregate-json/samples")
struct GoldenSampleTests {
    static let samplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // DeviceProfilesTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the repository
        .appendingPathComponent("devices/caregate-json/samples")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samplesDirectory.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let path = samplesDirectory.appendingPathComponent(name).path
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    @Test("the samples folder is there and not empty")
    func notEmpty() {
        #expect(!Self.cases.isEmpty, "no samples under \(Self.samplesDirectory.path)")
    }

    @Test("every stream has an accepted sample and every rejection kind a rejected one")
    func coverage() throws {
        var streams: Set<String> = []
        var kinds: Set<String> = []
        for name in Self.cases {
            let folder = Self.samplesDirectory.appendingPathComponent(name)
            if let rejected = try? String(contentsOf: folder.appendingPathComponent("rejected"), encoding: .utf8) {
                kinds.insert(rejected.trimmingCharacters(in: .whitespacesAndNewlines))
            } else if let expected = try? String(contentsOf: folder.appendingPathComponent("expected.jsonl"), encoding: .utf8) {
                for line in expected.split(separator: "\n") {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    if let stream = object?["stream"] as? String { streams.insert(stream) }
                }
            }
        }
        #expect(streams == Set(StreamKind.allCases.map(\.name)))
        // `truncated` and `unsupported` are the binary and SenML profiles' kinds, not this one's.
        #expect(kinds == Set(RejectionKind.allCases.map(\.rawValue)).subtracting(["truncated", "unsupported"]))
    }

    @Test("sample", arguments: cases)
    func sample(_ name: String) throws {
        let folder = Self.samplesDirectory.appendingPathComponent(name)
        let topic = try String(contentsOf: folder.appendingPathComponent("topic"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let payload = try [UInt8](Data(contentsOf: folder.appendingPathComponent("payload.json")))
        let result = CanonicalProfile.decode(topic: topic, payload: payload)

        let rejectedFile = folder.appendingPathComponent("rejected")
        let expectedFile = folder.appendingPathComponent("expected.jsonl")
        if FileManager.default.fileExists(atPath: rejectedFile.path) {
            let kind = try String(contentsOf: rejectedFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(RejectionKind(rawValue: kind) != nil, "unknown kind \(kind)")
            #expect(result.kind?.rawValue == kind, "\(result)")
        } else if FileManager.default.fileExists(atPath: expectedFile.path) {
            let lines = try String(contentsOf: expectedFile, encoding: .utf8).split(separator: "\n").filter { !$0.isEmpty }
            let expected = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            guard case .success(.reading(let reading)) = result else {
                Issue.record("expected a reading, got \(result)")
                return
            }
            try #require(expected.count == 1, "the canonical profile gives one reading a message")
            Self.compare(Self.fields(of: reading), expected[0])
        } else {
            Issue.record("\(name) has neither expected.jsonl nor rejected")
        }
    }

    /// The reading as the JSON object `caregate query readings` would print.
    static func fields(of r: Reading) -> [String: Any] {
        var f: [String: Any] = [
            "station": r.source.station, "device": r.source.device, "stream": r.stream.name,
            "ts": r.ts, "seq": r.seq, "resident": r.resident ?? NSNull(),
        ]
        switch r.value {
        case .bloodPressure(let v):
            f["systolic"] = v.systolic
            f["diastolic"] = v.diastolic
            f["pulse"] = v.pulse ?? NSNull()
        case .glucose(let v):
            f["mg_dl"] = v.mgdl
            f["context"] = v.context?.rawValue ?? NSNull()
        case .ecg(let v):
            f["hz"] = v.hz
            f["lead"] = v.lead
            f["uv_per_lsb"] = v.microvoltsPerLSB
            f["samples"] = v.samples.map(Int.init)
        case .sos(let v):
            f["cause"] = v.cause.rawValue
            f["cancel"] = v.cancel
        case .status(let v):
            f["battery"] = v.battery ?? NSNull()
            f["rssi"] = v.rssi ?? NSNull()
        }
        return f
    }

    static func compare(_ actual: [String: Any], _ expected: [String: Any]) {
        #expect(Set(actual.keys) == Set(expected.keys), "fields differ: \(actual.keys.sorted()) vs \(expected.keys.sorted())")
        for (key, want) in expected {
            let got = actual[key]
            #expect(same(got, want), "\(key): got \(String(describing: got)), expected \(want)")
        }
    }

    static func same(_ a: Any?, _ b: Any) -> Bool {
        switch (a, b) {
        case (is NSNull, is NSNull): return true
        case (let x as Bool, let y): return (y as? Bool) == x
        case (let x as String, let y as String): return x == y
        case (let x as Int64, let y as NSNumber): return x == y.int64Value && Double(x) == y.doubleValue
        case (let x as Int, let y as NSNumber): return x == y.intValue && Double(x) == y.doubleValue
        case (let x as Double, let y as NSNumber): return close(x, y.doubleValue)
        case (let x as [Int], let y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default: return false
        }
    }
}
