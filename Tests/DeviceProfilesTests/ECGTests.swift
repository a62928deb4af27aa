import DeviceProfiles
import Telemetry
import Testing

@Suite("ecg")
struct ECGTests {
    static func fields(hz: String = "250", lead: String = #""II""#, uv: String = "5", samples: String = "[12,15,-3]")
        -> String
    {
        #""hz":\#(hz),"lead":\#(lead),"uv_per_lsb":\#(uv),"samples":\#(samples)"#
    }

    @Test("a chunk")
    func chunk() {
        let ecg = Fixture.value(.ecg, Fixture.payload(Self.fields()))?.ecg
        #expect(ecg == ECGChunk(hz: 250, lead: "II", microvoltsPerLSB: 5, samples: [12, 15, -3]))
    }

    @Test(
        "hz: integer 50–1000",
        arguments: [("50", 50 as Int?), ("1000", 1000), ("500", 500), ("49", nil), ("1001", nil), ("0", nil), ("-250", nil)])
    func hz(_ text: String, _ expected: Int?) {
        let result = Fixture.decode(.ecg, Fixture.payload(Self.fields(hz: text)))
        if let expected {
            #expect((try? result.get())?.value.ecg?.hz == expected)
        } else {
            #expect(result.kind == .outOfRange)
        }
    }

    @Test(
        "hz type",
        arguments: [("250.0", RejectionKind.wrongType), ("2.5e2", .wrongType), (#""250""#, .wrongType), ("null", .missingField)])
    func hzType(_ text: String, _ kind: RejectionKind) {
        #expect(Fixture.kind(.ecg, Fixture.payload(Self.fields(hz: text))) == kind)
    }

    @Test(
        "lead: 1–16 characters",
        arguments: [
            (#""I""#, nil as RejectionKind?), (#""V1""#, nil), (#""\#(String(repeating: "L", count: 16))""#, nil),
            (#""aVR""#, nil), (#""""#, .outOfRange), (#""\#(String(repeating: "L", count: 17))""#, .outOfRange),
            (#""II\n""#, .outOfRange), ("2", .wrongType), ("null", .missingField),
        ])
    func lead(_ text: String, _ kind: RejectionKind?) {
        #expect(Fixture.kind(.ecg, Fixture.payload(Self.fields(lead: text))) == kind)
    }

    @Test(
        "uv_per_lsb: a number > 0",
        arguments: [
            ("5", nil as RejectionKind?), ("0.5", nil), ("1e-9", nil), ("2.5e3", nil), ("0", .outOfRange), ("-0.0", .outOfRange),
            ("-1", .outOfRange), (#""5""#, .wrongType), ("null", .missingField),
        ])
    func uvPerLSB(_ text: String, _ kind: RejectionKind?) {
        #expect(Fixture.kind(.ecg, Fixture.payload(Self.fields(uv: text))) == kind)
    }

    static let repeated2000 = "[" + [String](repeating: "-32768", count: 2000).joined(separator: ",") + "]"
    static let ones2000 = "[" + [String](repeating: "1", count: 2000).joined(separator: ",") + "]"
    static let ones2001 = "[" + [String](repeating: "1", count: 2001).joined(separator: ",") + "]"

    static let sampleCases: [(String, RejectionKind?)] = [
            ("[0]", nil as RejectionKind?), ("[-0]", nil), ("[-32768,32767]", nil), ("[ 1 , 2 ,\n3 ]", nil),
            (repeated2000, nil), (ones2000, nil), (ones2001, .outOfRange),
            ("[]", .outOfRange), ("[32768]", .outOfRange), ("[-32769]", .outOfRange), ("[100000]", .outOfRange),
            ("[1234567]", .outOfRange), ("[99999999999999999999]", .outOfRange), ("[1,2,40000]", .outOfRange),
            ("[1.5]", .wrongType), ("[1.0]", .wrongType), ("[1e2]", .wrongType), ("[1,\"2\"]", .wrongType),
            ("[null]", .wrongType), ("[true]", .wrongType), ("[[1]]", .wrongType), ("[{}]", .wrongType),
            (#""1,2""#, .wrongType), ("{}", .wrongType), ("5", .wrongType), ("null", .missingField),
            ("[01]", .notJSON), ("[-]", .notJSON), ("[1,]", .notJSON), ("[1 2]", .notJSON), ("[1", .notJSON),
        ]

    @Test("samples: 1–2000 integers in −32768…32767", arguments: sampleCases)
    func samples(_ text: String, _ kind: RejectionKind?) {
        #expect(Fixture.kind(.ecg, Fixture.payload(Self.fields(samples: text))) == kind)
    }

    @Test("samples keep their values and order, at every number length")
    func sampleValues() {
        let values: [Int16] = [0, -1, 7, -42, 123, -999, 4096, -12345, 32767, -32768, 10, 1, 20000, -5]
        let text = "[" + values.map(String.init).joined(separator: ",") + "]"
        #expect(Fixture.value(.ecg, Fixture.payload(Self.fields(samples: text)))?.ecg?.samples == ECGSamples(values))
        let spaced = "[ " + values.map(String.init).joined(separator: " ,\t") + " ]"
        #expect(Fixture.value(.ecg, Fixture.payload(Self.fields(samples: spaced)))?.ecg?.samples == ECGSamples(values))
        // Right at the end of the payload, where fewer than eight bytes remain to read.
        let tail = #"{"ts":1732262400123,"seq":1,"hz":250,"lead":"II","uv_per_lsb":5,"samples":[1,-2,345]}"#
        #expect(Fixture.value(.ecg, tail)?.ecg?.samples == [1, -2, 345])
    }

    @Test("missing fields", arguments: [#""lead":"II","uv_per_lsb":5,"samples":[1]"#, #""hz":250,"uv_per_lsb":5,"samples":[1]"#,
                                        #""hz":250,"lead":"II","samples":[1]"#, #""hz":250,"lead":"II","uv_per_lsb":5"#])
    func missing(_ fields: String) {
        #expect(Fixture.kind(.ecg, Fixture.payload(fields)) == .missingField)
    }
}
