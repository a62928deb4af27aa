import DeviceProfiles
import Telemetry
import Testing

@Suite("Rejections: kinds, precedence, privacy")
struct RejectionTests {
    @Test("raw values are the words stored in quarantine")
    func rawValues() {
        #expect(RejectionKind.allCases.map(\.rawValue) == [
            "bad_topic", "unknown_stream", "too_large", "not_utf8", "not_json", "not_object", "duplicate_key",
            "too_deep", "missing_field", "wrong_type", "out_of_range", "not_finite", "truncated", "unsupported",
        ])
        #expect(Rejection(.notJSON, "x").description == "not_json: x")
        #expect(CanonicalProfile.name == "caregate-json/1")
        #expect(CanonicalProfile.maxPayloadBytes == 65_536)
    }

    /// One payload a kind, through `CanonicalProfile.decode(topic:payload:)`.
    @Test(
        "every kind has a payload that triggers it",
        arguments: [
            ("care/st01/bp-1/bp/x", #"{}"#, RejectionKind.badTopic),
            ("care/st01/bp-1/weight", #"{}"#, .unknownStream),
            ("care/st01/bp-1/bp", String(repeating: " ", count: 65_537), .tooLarge),
            ("care/st01/bp-1/bp", #"{"ts":1732262400123,"seq":17"#, .notJSON),
            ("care/st01/bp-1/bp", #"[1,2,3]"#, .notObject),
            ("care/st01/bp-1/bp", #"{"ts":1,"ts":2}"#, .duplicateKey),
            ("care/st01/bp-1/bp", #"{"a":[[[[[[[[1]]]]]]]]}"#, .tooDeep),
            ("care/st01/bp-1/bp", #"{"ts":1732262400123,"seq":17,"systolic":120}"#, .missingField),
            ("care/st01/bp-1/bp", #"{"ts":1732262400123,"seq":17,"systolic":"120","diastolic":80}"#, .wrongType),
            ("care/st01/bp-1/bp", #"{"ts":1732262400123,"seq":17,"systolic":400,"diastolic":80}"#, .outOfRange),
            ("care/st01/bp-1/bp", #"{"ts":1732262400123,"seq":17,"systolic":NaN,"diastolic":80}"#, .notFinite),
        ])
    func everyKind(topic: String, payload: String, kind: RejectionKind) {
        #expect(CanonicalProfile.decode(topic: topic, payload: Array(payload.utf8)).kind == kind)
    }

    @Test("not_utf8 through the topic entry point")
    func notUTF8() {
        let bytes = Array(#"{"ts":""#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(CanonicalProfile.decode(topic: "care/st01/bp-1/bp", payload: bytes).kind == .notUTF8)
    }

    @Test(
        "with several faults, the first in precedence order is reported",
        arguments: [
            // too_large > not_utf8 > not_json > not_object > too_deep > duplicate_key > not_finite > fields
            ([UInt8](repeating: 0xFF, count: 65_537), RejectionKind.tooLarge),
            (Array(#"{"ts":NaN,"ts":1,"x":"#.utf8) + [0xFF], .notUTF8),
            (Array(#"[NaN,{"a":1,"a":2},[[[[[[[[[1]]]]]]]]]]"#.utf8), .notObject),
            (Array(#"[NaN,{"a":1,"a":2},[[[[[[[[[1]]]]]]]]]] x"#.utf8), .notJSON),
            (Array(#"{"a":1,"a":2,"b":NaN,"x":[[[[[[[[1]]]]]]]]}"#.utf8), .tooDeep),
            (Array(#"{"b":NaN,"a":1,"a":2}"#.utf8), .duplicateKey),
            (Array(#"{"ts":"x","seq":0,"b":-Infinity}"#.utf8), .notFinite),
            (Array(#"{"ts":"x","seq":0,"b":-Infinity"#.utf8), .notJSON),
            (Array(#"{"seq":0,"systolic":"x"}"#.utf8), .missingField),  // ts is checked first
            (Array(#"{"seq":0,"ts":1}"#.utf8), .outOfRange),  // ts out of range before seq
            (Array(#"{"systolic":"x","seq":0,"ts":1732262400123}"#.utf8), .outOfRange),  // seq before stream fields
            (Array(#"{"diastolic":1,"systolic":"x","seq":1,"ts":1732262400123}"#.utf8), .wrongType),  // systolic first
            (Array(#"{"ts":1732262400123,"seq":1,"diastolic":"x","systolic":400}"#.utf8), .outOfRange),  // each field fully
            (Array(#"{"ts":1732262400123,"seq":1,"systolic":"x","unit":"psi"}"#.utf8), .outOfRange),  // unit before pressures
        ] as [([UInt8], RejectionKind)])
    func precedence(_ payload: [UInt8], _ kind: RejectionKind) {
        #expect(Fixture.kind(Fixture.decode(.bp, bytes: payload)) == kind)
    }

    @Test(
        "glucose: the value before the context",
        arguments: [
            (#""context":"brunch","mg_dl":5"#, "mg_dl must be 10–1000"),
            (#""context":"brunch","mg_dl":"5""#, "mg_dl must be a number"),
            (#""context":"brunch","mmol_l":5"#, "context must be one of fasting, postprandial, random, bedtime"),
        ])
    func glucoseOrder(_ fields: String, _ detail: String) {
        #expect(Fixture.rejection(Fixture.decode(.glucose, Fixture.payload(fields)))?.detail == detail)
    }

    /// Every rejection detail is free of the values that were sent.
    @Test(
        "details never carry patient values",
        arguments: [
            (StreamKind.bp, #"{"ts":1732262400123,"seq":17,"resident":"RESIDENT-7777","systolic":987.654,"diastolic":80}"#),
            (.bp, #"{"ts":1732262400123,"seq":17,"resident":"RESIDENT-7777","systolic":123.456,"diastolic":654.321}"#),
            (.bp, #"{"ts":1732262400123,"seq":17,"systolic":165.4321,"diastolic":165.4321}"#),
            (.bp, #"{"ts":1732262400123,"seq":17,"systolic":120,"diastolic":80,"pulse":7654.3}"#),
            (.bp, #"{"ts":1732262400123,"seq":17,"systolic":120,"diastolic":80,"unit":"RESIDENT-7777"}"#),
            (.glucose, #"{"ts":1732262400123,"seq":17,"mg_dl":7777.5}"#),
            (.glucose, #"{"ts":1732262400123,"seq":17,"mmol_l":777.25}"#),
            (.glucose, #"{"ts":1732262400123,"seq":17,"mg_dl":99,"context":"RESIDENT-7777"}"#),
            (.status, #"{"ts":1732262400123,"seq":17,"resident":"RESIDENT-7777-\#(String(repeating: "x", count: 60))"}"#),
            (.status, #"{"ts":17777777,"seq":17}"#),
            (.status, #"{"ts":1732262400123,"seq":-7777}"#),
            (.status, #"{"ts":1732262400123,"seq":17,"battery":7777}"#),
            (.ecg, #"{"ts":1732262400123,"seq":17,"hz":7777,"lead":"II","uv_per_lsb":5,"samples":[1]}"#),
            (.ecg, #"{"ts":1732262400123,"seq":17,"hz":250,"lead":"II","uv_per_lsb":5,"samples":[77777]}"#),
            (.sos, #"{"ts":1732262400123,"seq":17,"cause":"RESIDENT-7777"}"#),
        ])
    func privacy(_ stream: StreamKind, _ json: String) throws {
        let r = try #require(Fixture.rejection(Fixture.decode(stream, json)))
        for secret in ["7777", "RESIDENT", "987", "654", "123.4", "456", "165", "777"] {
            #expect(!r.description.contains(secret), "\(r.description)")
        }
    }
}
