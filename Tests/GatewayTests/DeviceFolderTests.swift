import DeviceProfiles
import Foundation
import Gateway
import Telemetry
import Testing

/// Walks `devices/`: every profile folder has its README, its profile file and samples, and
/// every sample decodes, through the gateway's profiles with the vendor files loaded as
/// `caregate run` loads them, to exactly the readings (or the rejection) it states.
@Suite("Device folders: devices/*/samples")
struct DeviceFolderTests {
    static let devices = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("devices")
    /// The arrival and the station's time zone every sample is decoded with (devices/README.md).
    static let arrival: Int64 = 1_764_000_000_000
    static let utcOffsetMinutes = 480

    static func subfolders(_ url: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
    }

    static var profiles: [String] { subfolders(devices) }

    /// Every sample, as `profile/case`.
    static var samples: [String] {
        profiles.flatMap { p in subfolders(devices.appendingPathComponent("\(p)/samples")).map { "\(p)/\($0)" } }
    }

    static let profileSet: ProfileSet = {
        let vendors = (try? ProfileFile.loadVendors([devices.path])) ?? []
        return ProfileSet(vendors: vendors, utcOffsetMinutes: utcOffsetMinutes)
    }()

    @Test("every profile folder has a README, a profile file and samples", arguments: profiles)
    func folder(_ name: String) throws {
        let folder = Self.devices.appendingPathComponent(name)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path), "\(name) has no README.md")
        let contents = try ProfileFile.load(folder.appendingPathComponent("profile.yaml").path)
        if case .builtIn(let builtIn) = contents { #expect(ProfileFile.builtIn.contains(builtIn)) }
        let samples = Self.subfolders(folder.appendingPathComponent("samples"))
        #expect(!samples.isEmpty, "\(name) has no samples")
        // A profile shows what it accepts and what it refuses.
        let refused = samples.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("samples/\($0)/rejected").path) }
        #expect(!refused.isEmpty && refused.count < samples.count, "\(name) needs accepted and refused samples")
    }

    @Test("the folders hold every built-in profile and the vendor files load")
    func everyProfile() throws {
        var builtIns: Set<String> = []
        for name in Self.profiles {
            if case .builtIn(let b) = try ProfileFile.load(Self.devices.appendingPathComponent("\(name)/profile.yaml").path) {
                builtIns.insert(b)
            }
        }
        #expect(builtIns == ProfileFile.builtIn)
        let vendors = try ProfileFile.loadVendors([Self.devices.path])
        #expect(vendors.map(\.name).sorted() == ["cgm-cloud-bridge", "community-bp-kiosk"])
    }

    @Test("sample", arguments: samples)
    func sample(_ path: String) throws {
        let folder = Self.devices.appendingPathComponent(path.replacingOccurrences(of: "/", with: "/samples/"))
        let topic = try String(contentsOf: folder.appendingPathComponent("topic"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let payload = try Self.payload(in: folder)
        let result = Self.profileSet.decode(topic: topic, payload: payload, arrival: Self.arrival)

        let rejected = folder.appendingPathComponent("rejected")
        let expected = folder.appendingPathComponent("expected.jsonl")
        if FileManager.default.fileExists(atPath: rejected.path) {
            let kind = try String(contentsOf: rejected, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(RejectionKind(rawValue: kind) != nil, "unknown kind \(kind)")
            guard case .failure(let rejection) = result else {
                Issue.record("expected \(kind), got \(result)")
                return
            }
            #expect(rejection.kind.rawValue == kind, "\(rejection)")
        } else {
            let lines = try String(contentsOf: expected, encoding: .utf8).split(separator: "\n").filter { !$0.isEmpty }
            guard case .success(let message) = result else {
                Issue.record("expected readings, got \(result)")
                return
            }
            let readings = message.readings
            #expect(readings.count == lines.count, "\(readings.count) readings, \(lines.count) expected")
            for (reading, line) in zip(readings, lines) {
                let got = try JSONSerialization.jsonObject(with: Data(reading.json().bytes)) as! NSDictionary
                let want = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! NSDictionary
                #expect(got.isEqual(to: want as! [AnyHashable: Any]), "got \(reading.json().string)\nwant \(line)")
            }
        }
    }

    /// `payload.json` as its bytes, or `payload.hex` as hex with `#` comments.
    static func payload(in folder: URL) throws -> [UInt8] {
        let hexFile = folder.appendingPathComponent("payload.hex")
        guard FileManager.default.fileExists(atPath: hexFile.path) else {
            return try [UInt8](Data(contentsOf: folder.appendingPathComponent("payload.json")))
        }
        var bytes: [UInt8] = []
        for line in try String(contentsOf: hexFile, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            let data = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let digits = data.filter { !$0.isWhitespace }
            try #require(digits.count % 2 == 0, "odd number of hex digits in \(hexFile.path): \(line)")
            var i = digits.startIndex
            while i < digits.endIndex {
                let j = digits.index(i, offsetBy: 2)
                bytes.append(try #require(UInt8(digits[i..<j], radix: 16), "not hex: \(digits[i..<j])"))
                i = j
            }
        }
        return bytes
    }
}
