import DeviceProfiles
import Gateway
import Testing

/// A vendor profile file is read completely or refused with its file, line and reason.
@Suite struct ProfileFileTests {
    static let good = """
        profile: kiosk
        kind: vendor-json
        topic: "kiosk/{station}/{device}/result"
        stream: bp
        seq: recordId
        time: { path: measureTime, format: datetime }
        fields:
          systolic: { path: r.sbp, unit: kPa }
          diastolic: r.dbp
        """

    @Test func aGoodFileGivesItsProfile() throws {
        guard case .vendor(let p) = try ProfileFile.parse(Self.good, path: "k.yaml") else {
            Issue.record("not a vendor profile")
            return
        }
        #expect(p.name == "kiosk")
        #expect(p.stream == .bp)
        #expect(p.topic.description == "kiosk/{station}/{device}/result")
        #expect(p.time == VendorProfile.TimeField(path: FieldPath("measureTime")!, format: .dateTime))
        #expect(p.fields == [
            VendorProfile.Field(target: "systolic", path: FieldPath("r.sbp")!, unit: .kPa),
            VendorProfile.Field(target: "diastolic", path: FieldPath("r.dbp")!),
        ])
    }

    @Test("each mistake names its line", arguments: [
        ("kind: vendor", 2, "kind must be built-in or vendor-json"),
        ("topic: \"kiosk/+/{device}\"", 3, "no MQTT wildcards"),
        ("stream: ecg", 4, "stream must be one of bp, glucose, sos, status"),
        ("seq: \"a..b\"", 5, "a path is member names"),
        ("time: { path: t, format: unix }", 6, "time.format must be one of epoch_ms, epoch_s, datetime"),
        ("  systolic: { path: r.sbp, unit: mmol/L }", 8, "systolic may be in mmHg, kPa, Pa"),
        ("  diastolic: { path: r.dbp, scale: 0 }", 9, "expected a number"),
        ("  glucose: r.g", 9, "a bp profile has no field 'glucose'"),
        ("colour: blue", 5, "unknown key 'colour'"),
    ])
    func mistakes(line: String, at number: Int, reason: String) {
        var lines = Self.good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let key = line.trimmingCharacters(in: .whitespaces).split(separator: ":").first.map(String.init) ?? ""
        if let i = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") }) {
            lines[i] = line
        } else {
            lines.insert(line, at: number - 1)
        }
        do {
            _ = try ProfileFile.parse(lines.joined(separator: "\n"), path: "k.yaml")
            Issue.record("accepted: \(line)")
        } catch {
            #expect(error.message.hasPrefix("k.yaml:\(number):"), "\(error.message)")
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test("what a profile must have", arguments: [
        ("profile: k\nkind: vendor-json\nstream: bp\nfields: { systolic: a, diastolic: b }", "needs a topic pattern"),
        ("profile: k\nkind: vendor-json\ntopic: a/{device}\nstream: bp\nfields: { systolic: a, diastolic: b }", "give the station"),
        ("profile: k\nkind: vendor-json\ntopic: a/{station}\nstream: bp\nfields: { systolic: a, diastolic: b }", "path of the device id"),
        ("profile: k\nkind: vendor-json\ntopic: a/{station}/{device}\nstream: bp\nfields: { systolic: a }", "must say where diastolic is"),
        ("profile: k\nkind: built-in", "caregate has no built-in profile k"),
        ("kind: built-in", "must name its profile"),
        ("profile: [unclosed", "not valid YAML"),
    ])
    func required(text: String, reason: String) {
        #expect(throws: ConfigurationError.self) { try ProfileFile.parse(text, path: "k.yaml") }
        do { _ = try ProfileFile.parse(text, path: "k.yaml") } catch { #expect(error.message.contains(reason), "\(error.message)") }
    }
}
