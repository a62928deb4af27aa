import DeviceProfiles
import Telemetry
import Testing

@Suite("Acknowledgement")
struct AcknowledgementTests {
    static func decode(_ json: String) -> Result<Acknowledgement, Rejection> {
        Array(json.utf8).withUnsafeBytes { Acknowledgement.decode(payload: $0) }
    }

    @Test(
        "accepted",
        arguments: [
            (#"{"id":"a-17","by":"nurse.li"}"#, "a-17", "nurse.li"),
            (#"{"by":"Li Na 李娜","id":"a-17","at":1732262400123,"device":{"x":1}}"#, "a-17", "Li Na 李娜"),
            (#"{"id":"\#(String(repeating: "i", count: 128))","by":"b"}"#, String(repeating: "i", count: 128), "b"),
            (#"{"id":"a\u002d1","by":"\u674e"}"#, "a-1", "李"),
        ])
    func accepted(_ json: String, _ id: String, _ by: String) {
        #expect(Self.decode(json) == .success(Acknowledgement(id: id, by: by)))
    }

    @Test(
        "rejected",
        arguments: [
            (#"{"by":"b"}"#, RejectionKind.missingField),
            (#"{"id":"a"}"#, .missingField),
            (#"{"id":null,"by":"b"}"#, .missingField),
            (#"{"id":"","by":"b"}"#, .outOfRange),
            (#"{"id":"a","by":""}"#, .outOfRange),
            (#"{"id":"\#(String(repeating: "i", count: 129))","by":"b"}"#, .outOfRange),
            (#"{"id":"a","by":"b\u0007"}"#, .outOfRange),
            (#"{"id":17,"by":"b"}"#, .wrongType),
            (#"{"id":"a","by":["b"]}"#, .wrongType),
            (#"{"id":"a","id":"b","by":"c"}"#, .duplicateKey),
            (#"["a","b"]"#, .notObject),
            (#"{"id":"a","by":"b""#, .notJSON),
            (#"{"id":"a","by":"b","n":NaN}"#, .notFinite),
            (#"{"id":"a","by":"b","n":[[[[[[[[1]]]]]]]]}"#, .tooDeep),
            (String(repeating: " ", count: 65_537), .tooLarge),
        ])
    func rejected(_ json: String, _ kind: RejectionKind) {
        #expect(Self.decode(json).kind == kind)
    }

    @Test("through the topic entry point")
    func viaTopic() {
        let result = CanonicalProfile.decode(topic: "care/st01/alerts/ack", payload: Array(#"{"id":"a-1","by":"li"}"#.utf8))
        #expect(result == .success(.acknowledgement(station: "st01", Acknowledgement(id: "a-1", by: "li"))))
        let bad = CanonicalProfile.decode(topic: "care/st01/alerts/ack", payload: Array(#"{"id":"a-1"}"#.utf8))
        #expect(bad.kind == .missingField)
    }
}
