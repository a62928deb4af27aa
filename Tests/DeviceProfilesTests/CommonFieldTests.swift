import DeviceProfiles
import Telemetry
import Testing

/// ts, seq and resident, common to every stream (tried on `status`, whose own fields are optional).
@Suite("Common fields")
struct CommonFieldTests {
    @Test("a full reading carries source, ts, seq and resident")
    func reading() throws {
        let r = try Fixture.decode(.status, #"{"ts":1732262400123,"seq":17,"resident":"r-0042","battery":87}"#).get()
        #expect(r.source == Fixture.source)
        #expect(r.stream == .status)
        #expect(r.ts == 1_732_262_400_123)
        #expect(r.seq == 17)
        #expect(r.resident == "r-0042")
        #expect(r.value == .status(DeviceStatus(battery: 87)))
    }

    @Test(
        "ts: integer ms within [2000, 2100)",
        arguments: [
            ("946684800000", 946_684_800_000 as Int64?), ("4102444799999", 4_102_444_799_999),
            ("1732262400123", 1_732_262_400_123),
            ("946684799999", nil), ("4102444800000", nil), ("1732262400", nil), ("0", nil), ("-0", nil), ("-1", nil),
            ("1732262400123000", nil), ("99999999999999999999999", nil), ("-99999999999999999999999", nil),
        ])
    func ts(_ text: String, _ expected: Int64?) {
        let result = Fixture.decode(.status, #"{"ts":\#(text),"seq":1}"#)
        if let expected {
            #expect((try? result.get())?.ts == expected)
        } else {
            #expect(result.kind == .outOfRange)
            #expect(Fixture.rejection(result)?.detail.contains("clock") == true)
        }
    }

    @Test(
        "ts must be an integer written as one",
        arguments: [#"1732262400123.0"#, #"1732262400.123"#, #"1.732262400123e12"#, #"1732262400123e0"#, #""1732262400123""#,
                    #"true"#, #"[1732262400123]"#, #"{}"#])
    func tsType(_ text: String) {
        #expect(Fixture.kind(.status, #"{"ts":\#(text),"seq":1}"#) == .wrongType)
    }

    @Test("missing or null ts and seq are missing_field", arguments: [
        #"{"seq":1}"#, #"{"ts":null,"seq":1}"#, #"{"ts":1732262400123}"#, #"{"ts":1732262400123,"seq":null}"#, #"{}"#,
    ])
    func missing(_ json: String) {
        #expect(Fixture.kind(.status, json) == .missingField)
    }

    @Test(
        "seq: integer 1…2^53",
        arguments: [
            ("1", 1 as Int64?), ("17", 17), ("9007199254740992", 9_007_199_254_740_992),
            ("9007199254740991", 9_007_199_254_740_991),
            ("0", nil), ("-0", nil), ("-1", nil), ("9007199254740993", nil), ("18446744073709551616", nil),
        ])
    func seq(_ text: String, _ expected: Int64?) {
        let result = Fixture.decode(.status, #"{"ts":1732262400123,"seq":\#(text)}"#)
        if let expected {
            #expect((try? result.get())?.seq == expected)
        } else {
            #expect(result.kind == .outOfRange)
        }
    }

    @Test("seq must be an integer written as one", arguments: [#"1.0"#, #"1e0"#, #"17.5"#, #""17""#, #"false"#])
    func seqType(_ text: String) {
        #expect(Fixture.kind(.status, #"{"ts":1732262400123,"seq":\#(text)}"#) == .wrongType)
    }

    @Test(
        "resident: optional string of 1–64 characters",
        arguments: [
            (#""r""#, "r" as String?), (#""\#(String(repeating: "r", count: 64))""#, String(repeating: "r", count: 64)),
            (#""\#(String(repeating: "é", count: 64))""#, String(repeating: "é", count: 64)),
            (#""\#(String(repeating: "😀", count: 64))""#, String(repeating: "😀", count: 64)),
            (#""r\u00e9sident \"A\"""#, "résident \"A\""), (#""\ud83d\ude00""#, "😀"), (#""张三""#, "张三"),
            ("null", nil),
        ])
    func resident(_ text: String, _ expected: String?) throws {
        let r = try Fixture.decode(.status, Fixture.payload(#""resident":\#(text)"#)).get()
        #expect(r.resident == expected)
    }

    @Test("no resident means nil")
    func noResident() throws {
        #expect(try Fixture.decode(.status, Fixture.payload("")).get().resident == nil)
    }

    @Test(
        "resident out of range",
        arguments: [#""""#, #""\#(String(repeating: "r", count: 65))""#, #""\#(String(repeating: "é", count: 65))""#,
                    #""a\u0000b""#, #""a\nb""#, #""tab\there""#, "\"del\u{7F}\""])
    func residentRange(_ text: String) {
        #expect(Fixture.kind(.status, Fixture.payload(#""resident":\#(text)"#)) == .outOfRange)
    }

    @Test("resident must be a string", arguments: ["42", "true", "[]", "{}"])
    func residentType(_ text: String) {
        #expect(Fixture.kind(.status, Fixture.payload(#""resident":\#(text)"#)) == .wrongType)
    }

    @Test("field names may be escaped")
    func escapedNames() throws {
        let r = try Fixture.decode(.status, #"{"\u0074s":1732262400123,"s\u0065q":17,"\u0062attery":50}"#).get()
        #expect(r.ts == 1_732_262_400_123 && r.seq == 17 && r.value == .status(DeviceStatus(battery: 50)))
    }

    @Test("unknown fields and other streams' fields are ignored")
    func unknownFields() throws {
        let json = Fixture.payload(#""systolic":"x","fw":{"v":[1,2,{"a":null}]},"tsx":1,"Ts":"a","battery":1"#)
        #expect(try Fixture.decode(.status, json).get().value == .status(DeviceStatus(battery: 1)))
    }

    @Test("key order does not matter")
    func keyOrder() throws {
        let a = try Fixture.decode(.bp, #"{"pulse":70,"diastolic":80,"seq":17,"systolic":120,"ts":1732262400123}"#).get()
        let b = try Fixture.decode(.bp, #"{"ts":1732262400123,"seq":17,"systolic":120,"diastolic":80,"pulse":70}"#).get()
        #expect(a == b)
    }
}
