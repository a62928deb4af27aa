import DeviceProfiles
import Telemetry
import Testing

/// The document-level rules of PROTOCOL.md §1/§4, tried through a `status` payload (whose
/// stream fields are all optional), with the value under test in an unknown member `x`.
@Suite("JSON strictness")
struct JSONStrictnessTests {
    @Test(
        "any valid JSON value is accepted (and skipped) in an unknown member",
        arguments: [
            #"0"#, #"-0"#, #"1"#, #"-1"#, #"12.5"#, #"-0.0"#, #"1e5"#, #"1E+5"#, #"1e-5"#, #"2.5E-3"#, #"1e-400"#,
            #"123456789012345678901234567890"#, #"0.000000000000000000000000000001"#,
            #"true"#, #"false"#, #"null"#, #""""#, #""plain""#,
            #""esc \" \\ \/ \b \f \n \r \t""#, #""\u0041\u00e9\u4e2d\ud83d\ude00""#, #""é中😀""#, "\"\u{7F}\"",
            #"[]"#, #"{}"#, #"[1,"a",null,true,{"k":[]}]"#, #"{"a":{"b":{"c":[1,2,3]}}}"#,
            " [ 1 , 2 ] ", "\t{\n\"a\"\r:\n1\n}\n",
            #"[{"k":1},{"k":1}]"#,  // the same key in two different objects
        ])
    func validValue(_ value: String) {
        #expect(Fixture.kind(.status, Fixture.payload("\"x\":\(value)")) == nil)
    }

    @Test(
        "syntax errors are not_json",
        arguments: [
            "", " ", "\n\t ", "{", "}", "{\"ts\":1732262400123,\"seq\":17", "{\"ts\":1732262400123,\"seq\":17,",
            "{\"ts\":1732262400123,\"seq\":17}x", "{\"ts\":1732262400123,\"seq\":17}}", "{\"ts\":1732262400123,\"seq\":17}{}",
            "{\"ts\":1732262400123,\"seq\":17},", "{\"ts\" 1732262400123}", "{\"ts\":1732262400123,,\"seq\":17}",
            "{,\"ts\":1732262400123}", "{'ts':1732262400123}", "{ts:1732262400123}", "\u{FEFF}{\"ts\":1}",
            "[1,2", "\"unterminated", "nul", "tru", "NaN,", "{\"ts\":1732262400123,\"seq\":17,}",
        ])
    func notJSONDocument(_ json: String) {
        #expect(Fixture.kind(.status, json) == .notJSON)
    }

    @Test(
        "malformed values are not_json",
        arguments: [
            #"01"#, #"-01"#, #"1."#, #".5"#, #"+1"#, #"1e"#, #"1e+"#, #"-"#, #"--1"#, #"0x10"#, #"1_000"#,
            #"tru"#, #"True"#, #"NULL"#, #"nan"#, #"inf"#, #"-NaN"#, #"+Infinity"#, #"Infinit"#, #"undefined"#,
            #"'a'"#, #""\x""#, #""\u12""#, #""\u12G4""#, #""\U0041""#, #""\ud800""#, #""\udc00""#,
            #""\ud800\u0041""#, #""\ud800x""#, #""\udbff\udbff""#, "\"tab\there\"", "\"nl\nhere\"", "\"\u{01}\"",
            #"[1,]"#, #"[,1]"#, #"[1 2]"#, #"[1,2"#, #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{1:1}"#,
            #"{"a":1 "b":2}"#, #"[1}"#, #"{"a":1]"#,
        ])
    func notJSONValue(_ value: String) {
        #expect(Fixture.kind(.status, Fixture.payload("\"x\":\(value)")) == .notJSON)
    }

    @Test(
        "invalid UTF-8 anywhere is not_utf8",
        arguments: [
            [0xFF], [0x80], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xC3], [0xE4, 0xB8], [0xF0, 0x9F, 0x98],
            [0xC3, 0x41], [0xFE], [0xE4, 0xB8, 0x41],
        ] as [[UInt8]])
    func notUTF8(_ bad: [UInt8]) {
        let inString = Array(Fixture.payload(#""x":"a"#).utf8) + bad + Array(#""}"#.utf8)
        #expect(Fixture.kind(Fixture.decode(.status, bytes: inString)) == .notUTF8)
        let inKey = Array(#"{"#.utf8) + [0x22] + bad + Array(#"":1,"#.utf8) + Array(Fixture.head.utf8) + Array("}".utf8)
        #expect(Fixture.kind(Fixture.decode(.status, bytes: inKey)) == .notUTF8)
        // Outside any string it is also a syntax error; invalid UTF-8 is the reason reported.
        let outside = Array(Fixture.payload("").utf8) + bad
        #expect(Fixture.kind(Fixture.decode(.status, bytes: outside)) == .notUTF8)
        let before = bad + Array(Fixture.payload("").utf8)
        #expect(Fixture.kind(Fixture.decode(.status, bytes: before)) == .notUTF8)
    }

    @Test("valid UTF-8 outside a string is not_json, not not_utf8")
    func validUTF8OutsideString() {
        #expect(Fixture.kind(.status, Fixture.payload("") + "\u{A0}") == .notJSON)
        #expect(Fixture.kind(.status, "\u{3000}" + Fixture.payload("")) == .notJSON)
    }

    @Test(
        "valid JSON that is not an object is not_object",
        arguments: [#"[]"#, #"[{"ts":1732262400123,"seq":17}]"#, #""text""#, #"42"#, #"-1.5"#, #"null"#, #"true"#,
                    #"false"#, " [ ] ", #"[[[[[[[[[[1]]]]]]]]]]"#, #"NaN"#])
    func notObject(_ json: String) {
        #expect(Fixture.kind(.status, json) == .notObject)
    }

    @Test(
        "a key given twice in any object is duplicate_key",
        arguments: [
            #"{"ts":1732262400123,"seq":17,"ts":1732262400123}"#,
            #"{"ts":1732262400123,"seq":17,"seq":18}"#,
            #"{"ts":1732262400123,"seq":17,"battery":1,"battery":null}"#,
            #"{"ts":1732262400123,"seq":17,"a":1,"a":1}"#,
            #"{"ts":1732262400123,"seq":17,"x":{"b":1,"c":2,"b":3}}"#,
            #"{"ts":1732262400123,"seq":17,"x":[1,{"k":[{"z":1,"z":2}]}]}"#,
            #"{"ts":1732262400123,"seq":17,"a":1,"\u0061":2}"#,
            #"{"ts":1732262400123,"\u0073eq":17,"seq":17}"#,
            #"{"ts":1732262400123,"seq":17,"x":{"\n":1,"\u000a":2}}"#,
            #"{"ts":1732262400123,"seq":17,"x":{"😀":1,"\ud83d\ude00":2}}"#,
            #"{"ts":1732262400123,"seq":17,"systolic":1,"systolic":2}"#,  // another stream's field, still a key
        ])
    func duplicateKey(_ json: String) {
        #expect(Fixture.kind(.status, json) == .duplicateKey)
    }

    @Test("names that only look alike are different keys")
    func nearDuplicates() {
        #expect(Fixture.kind(.status, Fixture.payload(#""a":1,"A":2,"a ":3,"ab":4,"b":{"a":1}"#)) == nil)
        #expect(Fixture.kind(.status, Fixture.payload(#""x":{"a":1,"b":{"a":2}},"y":{"a":3}"#)) == nil)
    }

    @Test("duplicates among many keys (past the eager check) are found", arguments: [32, 33, 40, 200])
    func duplicateAmongMany(count: Int) {
        let members = (0..<count).map { #""k\#($0)":\#($0)"# }
        #expect(Fixture.kind(.status, Fixture.payload(members.joined(separator: ","))) == nil)
        #expect(Fixture.kind(.status, Fixture.payload((members + [#""k0":0"#]).joined(separator: ","))) == .duplicateKey)
        let nested = "\"x\":{" + (members + [#""k\#(count / 2)":0"#]).joined(separator: ",") + "}"
        #expect(Fixture.kind(.status, Fixture.payload(nested)) == .duplicateKey)
        let escaped = "\"x\":{" + (members + [#""\u006b1":0"#]).joined(separator: ",") + "}"
        #expect(Fixture.kind(.status, Fixture.payload(escaped)) == .duplicateKey)
    }

    /// `depth` containers in `x`, inside the top-level object: total nesting `depth + 1`.
    static func nested(_ depth: Int, object: Bool) -> String {
        let open = object ? #"{"k":"# : "["
        let close = object ? "}" : "]"
        return String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
    }

    @Test("nesting: depth 8 is accepted, 9 is too_deep (top-level object is depth 1)", arguments: [true, false])
    func depth(objects: Bool) {
        #expect(Fixture.kind(.status, Fixture.payload("\"x\":" + Self.nested(7, object: objects))) == nil)
        #expect(Fixture.kind(.status, Fixture.payload("\"x\":" + Self.nested(8, object: objects))) == .tooDeep)
        #expect(Fixture.kind(.status, Fixture.payload("\"x\":" + Self.nested(500, object: objects))) == .tooDeep)
        // At the top level: arrays are not objects (which wins over depth); objects lack ts.
        #expect(Fixture.kind(.status, Self.nested(9, object: objects)) == (objects ? .tooDeep : .notObject))
        #expect(Fixture.kind(.status, Self.nested(7, object: objects)) == (objects ? .missingField : .notObject))
    }

    @Test("depth counts inside the samples array too")
    func depthInSamples() {
        let head = #""hz":250,"lead":"II","uv_per_lsb":5,"samples":"#
        #expect(Fixture.kind(.ecg, Fixture.payload(head + "[" + Self.nested(6, object: false) + "]")) == .wrongType)
        #expect(Fixture.kind(.ecg, Fixture.payload(head + "[" + Self.nested(7, object: false) + "]")) == .tooDeep)
    }

    @Test("a very deep document that then breaks is not_json")
    func deepThenBroken() {
        #expect(Fixture.kind(.status, Fixture.payload("\"x\":" + String(repeating: "[", count: 5000))) == .notJSON)
        #expect(Fixture.kind(.status, Fixture.payload("\"x\":" + String(repeating: "[{\"a\":", count: 2000))) == .notJSON)
    }

    @Test(
        "NaN, infinities and numbers that overflow are not_finite, wherever they are",
        arguments: [
            #""battery":NaN"#, #""battery":Infinity"#, #""battery":-Infinity"#, #""battery":1e400"#,
            #""battery":-1e400"#, #""x":NaN"#, #""x":[1,Infinity]"#, #""x":{"y":-Infinity}"#, #""x":1.8e308"#,
            #""x":-123456789e301"#,
            #""x":1\#(String(repeating: "0", count: 400))"#,
        ])
    func notFinite(_ fields: String) {
        #expect(Fixture.kind(.status, Fixture.payload(fields)) == .notFinite)
    }

    @Test("NaN and infinities in known numeric fields and samples")
    func notFiniteInFields() {
        #expect(Fixture.kind(.bp, #"{"ts":1732262400123,"seq":17,"systolic":NaN,"diastolic":80}"#) == .notFinite)
        #expect(Fixture.kind(.bp, #"{"ts":Infinity,"seq":17,"systolic":120,"diastolic":80}"#) == .notFinite)
        #expect(Fixture.kind(.ecg, Fixture.payload(#""hz":250,"lead":"II","uv_per_lsb":5,"samples":[1,NaN]"#)) == .notFinite)
        #expect(Fixture.kind(.ecg, Fixture.payload(#""hz":250,"lead":"II","uv_per_lsb":5,"samples":[-Infinity]"#)) == .notFinite)
        #expect(Fixture.kind(.ecg, Fixture.payload(#""hz":250,"lead":"II","uv_per_lsb":1e999,"samples":[1]"#)) == .notFinite)
    }

    @Test("the largest finite numbers are finite")
    func largestFinite() {
        #expect(Fixture.kind(.status, Fixture.payload(#""x":1.7976931348623157e308"#)) == nil)
        #expect(Fixture.kind(.status, Fixture.payload(#""x":-1.7976931348623157e308"#)) == nil)
    }

    @Test("65,536 bytes are accepted, 65,537 are too_large")
    func size() {
        func padded(to size: Int) -> [UInt8] {
            let start = Array(Fixture.payload(#""pad":""#).utf8)
            let end = Array(#""}"#.utf8)
            return start + [UInt8](repeating: UInt8(ascii: "a"), count: size - start.count - end.count) + end
        }
        #expect(padded(to: 65_536).count == CanonicalProfile.maxPayloadBytes)
        #expect(Fixture.kind(Fixture.decode(.status, bytes: padded(to: 65_536))) == nil)
        #expect(Fixture.kind(Fixture.decode(.status, bytes: padded(to: 65_537))) == .tooLarge)
        // Size is checked first: a huge payload of garbage is too large, not not JSON.
        #expect(Fixture.kind(Fixture.decode(.status, bytes: [UInt8](repeating: 0xFF, count: 70_000))) == .tooLarge)
        let spaces = Array(Fixture.payload("").utf8) + [UInt8](repeating: 0x20, count: 65_536 - Fixture.payload("").utf8.count)
        #expect(Fixture.kind(Fixture.decode(.status, bytes: spaces)) == nil)
    }

    @Test("whitespace is allowed between every token")
    func whitespace() {
        let json = " \n{ \"ts\" :\t1732262400123 ,\r\n \"seq\" : 17 , \"battery\" : [ ] , \"rssi\" : -70 } \n"
        #expect(Fixture.kind(.status, json) == .wrongType)  // battery must be a number
        let ok = " \n{ \"ts\" :\t1732262400123 ,\r\n \"seq\" : 17 , \"battery\" : 5 , \"rssi\" : -70 } \n"
        #expect(Fixture.value(.status, ok)?.status == DeviceStatus(battery: 5, rssi: -70))
    }

    @Test("the payload may sit anywhere in memory, with nothing readable past its end")
    func bufferEdges() {
        // Decoding an exact-size heap buffer lets any over-read show up under a sanitizer.
        let payloads = [
            #"{"ts":1732262400123,"seq":17}"#, #"{"ts":1732262400123,"seq":1"#,
            #"{"ts":1732262400123,"seq":17,"x":"abcdefghijklmnopqrstuvwxyz"}"#,
        ]
        for json in payloads {
            let bytes = Array(json.utf8)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            defer { buffer.deallocate() }
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
            let payload = UnsafeRawBufferPointer(buffer)
            let result = CanonicalProfile.decode(source: Fixture.source, stream: .status, payload: payload)
            #expect(Fixture.kind(result) == Fixture.kind(.status, json))
        }
        let nothing = UnsafeRawBufferPointer(start: nil, count: 0)
        let empty = CanonicalProfile.decode(source: Fixture.source, stream: .status, payload: nothing)
        #expect(Fixture.kind(empty) == .notJSON)
    }
}
