@testable import DeviceProfiles
import Telemetry
import Testing

/// The pieces of the binary profiles that samples alone cannot pin down at every boundary.
@Suite("Binary fields: SFLOAT, Bluetooth date time, 24-bit samples")
struct BinaryFieldTests {
    @Test("SFLOAT worked values of RESEARCH/standards.md §1", arguments: [
        (UInt16(0x008A), 138.0), (0xF0BD, 18.9), (0xF09F, 15.9), (0x0B2E, -1234), (0xB064, 0.001), (0xC037, 0.0055),
        (0x0000, 0), (0x07FD, 2045), (0x0803, -2045), (0x7001, 10_000_000), (0x8001, 0.00000001),
    ])
    func sfloat(raw: UInt16, value: Double) {
        #expect(SFloat(raw: raw) == .number(value))
    }

    @Test("SFLOAT special values are recognised by the mantissa, whatever the exponent", arguments: [
        (UInt16(0x07FF), SFloat.nan), (0x0800, .notAtResolution), (0x07FE, .positiveInfinity), (0x0802, .negativeInfinity),
        (0x0801, .reserved), (0xF7FF, .nan), (0x2800, .notAtResolution), (0x87FE, .positiveInfinity),
    ])
    func special(raw: UInt16, expected: SFloat) {
        #expect(SFloat(raw: raw) == expected)
        #expect(SFloat(raw: raw).value == nil)
    }

    @Test("a Bluetooth date time is read in the station's zone; year, month or day 0 is unknown")
    func baseTime() throws {
        func read(_ bytes: [UInt8], offset: Int = 480) throws -> Int64? {
            try bytes.withUnsafeBytes { raw in
                var r = ByteReader(raw)
                return try BaseTime.read(&r, field: "time", utcOffsetMinutes: offset)
            }
        }
        // 2024-02-29 23:59:59 at +08:00 is 15:59:59 UTC.
        #expect(try read([0xE8, 0x07, 2, 29, 23, 59, 59]) == 1_709_222_399_000)
        #expect(try read([0xE8, 0x07, 2, 29, 23, 59, 59], offset: 0) == 1_709_251_199_000)
        #expect(try read([0x00, 0x00, 4, 17, 20, 41, 59]) == nil)
        #expect(try read([0xE9, 0x07, 0, 17, 20, 41, 59]) == nil)
        #expect(try read([0xE9, 0x07, 4, 0, 20, 41, 59]) == nil)
        for bad: [UInt8] in [[0xE9, 0x07, 2, 29, 0, 0, 0], [0xE9, 0x07, 13, 1, 0, 0, 0], [0xE9, 0x07, 4, 31, 0, 0, 0],
                             [0xE9, 0x07, 4, 1, 24, 0, 0], [0xE9, 0x07, 4, 1, 0, 60, 0], [0xE9, 0x07, 4, 1, 0, 0, 60]] {
            #expect(throws: Rejection.self, "\(bad)") { try read(bad) }
        }
        #expect(BaseTime.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(BaseTime.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
    }

    @Test("24-bit samples are sign-extended from bit 23")
    func int24() throws {
        let bytes: [UInt8] = [0x88, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00]
        let values = try bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw)
            return [try r.int24("a"), try r.int24("b"), try r.int24("c"), try r.int24("d")]
        }
        #expect(values == [-120, 8_388_607, -8_388_608, 1])
    }

    @Test("vendors' date times: zones, fractions, the station's zone when none")
    func dateTimeText() {
        let noon = Int64(1_764_000_000_000)  // 2025-11-24T16:00:00Z
        #expect(DateTimeText.parse("2025-11-24T16:00:00Z", utcOffsetMinutes: 480) == noon)
        #expect(DateTimeText.parse("2025-11-25 00:00:00", utcOffsetMinutes: 480) == noon)
        #expect(DateTimeText.parse("2025-11-25T00:00:00+08:00", utcOffsetMinutes: 0) == noon)
        #expect(DateTimeText.parse("2025-11-24T11:00:00-0500", utcOffsetMinutes: 0) == noon)
        #expect(DateTimeText.parse("2025-11-24 16:00", utcOffsetMinutes: 0) == noon)
        #expect(DateTimeText.parse("2025-11-24T16:00:00.25Z", utcOffsetMinutes: 0) == noon + 250)
        #expect(DateTimeText.parse("2025-11-24T16:00:00.123456Z", utcOffsetMinutes: 0) == noon + 123)
        for bad in ["2025-11-24", "24/11/2025 08:30", "2025-11-31 08:00:00", "2025-11-24 25:00:00", "2025-11-24T16:00:00Zx",
                    "2025-11-24T16:00:00.Z", "2025-11-24T16:00:00+8", "", "2025-11-24 16:00:00 "] {
            #expect(DateTimeText.parse(bad, utcOffsetMinutes: 0) == nil, "\(bad)")
        }
    }

    @Test("field paths and topic patterns")
    func pathsAndPatterns() throws {
        let path = try #require(FieldPath("records[2].values[0].v"))
        #expect(path.steps == [.member("records"), .element(2), .member("values"), .element(0), .member("v")])
        #expect(FieldPath("$.patient.id")?.fromRoot == true)
        for bad in ["", "a..b", "a[", "a[x]", "[0]", "a[-1]", ".a", "a.", "$."] { #expect(FieldPath(bad) == nil, "\(bad)") }

        let pattern = try #require(TopicPattern("kiosk/{station}/{device}/result"))
        #expect(pattern.match("kiosk/st01/k-2/result")?.station == "st01")
        #expect(pattern.match("kiosk/st01/k-2/result")?.device == "k-2")
        #expect(pattern.match("kiosk/st01/k-2/other") == nil)
        #expect(pattern.match("kiosk/st01/k-2/result/x") == nil)
        #expect(pattern.filter(station: "st01") == "kiosk/st01/+/result")
        #expect(pattern.filter(station: nil) == "kiosk/+/+/result")
        for bad in ["a/{station}/{station}", "a/+/b", "a/#", "a//b", "a/{dev}/b"] { #expect(TopicPattern(bad) == nil, "\(bad)") }
    }

    @Test("a vendor profile's subscriptions follow the configured stations")
    func subscriptions() throws {
        let kiosk = VendorProfile(name: "k", topic: try #require(TopicPattern("kiosk/{station}/{device}/result")), stream: .bp,
                                  fields: [])
        let bridge = VendorProfile(name: "b", topic: try #require(TopicPattern("bridge/upload")), station: "st02", stream: .glucose,
                                   device: FieldPath("sn"), fields: [])
        let set = ProfileSet(vendors: [kiosk, bridge])
        #expect(set.subscriptions(stations: ["st01", "st02"]) == [
            "care/st01/+/+", "care/st01/+/gatt/+", "care/st02/+/+", "care/st02/+/gatt/+",
            "kiosk/st01/+/result", "kiosk/st02/+/result", "bridge/upload",
        ])
        #expect(set.subscriptions(stations: nil) == ["care/+/+/+", "care/+/+/gatt/+", "kiosk/+/+/result", "bridge/upload"])
    }

    @Test("the JSON tree refuses what the canonical scanner refuses, in the same order")
    func jsonTree() {
        #expect(JSONTree.parse(Array(#"[1,{"a":[true,null,"x\u00e9"]}]"#.utf8))
            == .success(.array([.number(1, isInteger: true),
                                .object([.init(name: "a", value: .array([.bool(true), .null, .string("xé")]))])])))
        #expect(Fixture.kind(JSONTree.parse(Array(#"{"a":1,"a":2}"#.utf8))) == .duplicateKey)
        #expect(Fixture.kind(JSONTree.parse(Array(#"[[[[[[[[[1]]]]]]]]]"#.utf8))) == .tooDeep)
        #expect(Fixture.kind(JSONTree.parse(Array(#"[NaN]"#.utf8))) == .notFinite)
        #expect(Fixture.kind(JSONTree.parse(Array(#"[1,{"a":1,"a":2}"#.utf8))) == .notJSON)
        #expect(Fixture.kind(JSONTree.parse([0x5B, 0xFF, 0x5D])) == .notUTF8)
        #expect(Fixture.kind(JSONTree.parse([UInt8](repeating: 0x20, count: 65_537))) == .tooLarge)
        #expect(Fixture.kind(JSONTree.parse([])) == .notJSON)
    }
}
