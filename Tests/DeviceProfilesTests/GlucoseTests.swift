import DeviceProfiles
import Telemetry
import Testing

@Suite("glucose")
struct GlucoseTests {
    @Test(
        "accepted, in mg/dL",
        arguments: [
            (#""mg_dl":65.0,"context":"random""#, 65.0, GlucoseContext.random as GlucoseContext?),
            (#""mg_dl":10"#, 10, nil),
            (#""mg_dl":1000"#, 1000, nil),
            (#""mg_dl":99.5,"context":"fasting""#, 99.5, .fasting),
            (#""mg_dl":140,"context":"postprandial""#, 140, .postprandial),
            (#""mg_dl":120,"context":"bedtime""#, 120, .bedtime),
            (#""mg_dl":120,"context":null"#, 120, nil),
            (#""mmol_l":5.5"#, 99.088, nil),
            (#""mmol_l":0.6"#, 10.81, nil),  // 10.8096 rounded to 0.001 mg/dL
            (#""mmol_l":55.5,"context":"random""#, 999.888, .random),
            (#""mmol_l":3,"mg_dl":null"#, 54.048, nil),
            (#""mg_dl":70,"mmol_l":null"#, 70, nil),
        ])
    func accepted(_ fields: String, _ mgdl: Double, _ context: GlucoseContext?) {
        let g = Fixture.value(.glucose, Fixture.payload(fields))?.glucose
        #expect(close(g?.mgdl, mgdl))
        #expect(g?.context == context)
    }

    @Test(
        "rejected",
        arguments: [
            (#""mg_dl":9.99"#, RejectionKind.outOfRange),
            (#""mg_dl":1000.01"#, .outOfRange),
            (#""mg_dl":0"#, .outOfRange),
            (#""mg_dl":-65"#, .outOfRange),
            (#""mmol_l":0.59"#, .outOfRange),
            (#""mmol_l":55.51"#, .outOfRange),
            (#""mmol_l":65"#, .outOfRange),  // mg/dL sent as mmol/L
            ("", .missingField),
            (#""context":"random""#, .missingField),
            (#""mg_dl":null,"mmol_l":null"#, .missingField),
            (#""mg_dl":100,"mmol_l":5.5"#, .wrongType),
            (#""mg_dl":"100""#, .wrongType),
            (#""mmol_l":true"#, .wrongType),
            (#""mg_dl":[100]"#, .wrongType),
            (#""mg_dl":100,"context":"Fasting""#, .outOfRange),
            (#""mg_dl":100,"context":"after dinner""#, .outOfRange),
            (#""mg_dl":100,"context":"""#, .outOfRange),
            (#""mg_dl":100,"context":"\#(String(repeating: "x", count: 100))""#, .outOfRange),
            (#""mg_dl":100,"context":1"#, .wrongType),
        ])
    func rejected(_ fields: String, _ kind: RejectionKind) {
        #expect(Fixture.kind(.glucose, Fixture.payload(fields)) == kind)
    }

    @Test("both or neither say which fields are meant")
    func details() {
        let both = Fixture.rejection(Fixture.decode(.glucose, Fixture.payload(#""mg_dl":100,"mmol_l":5.5"#)))
        #expect(both?.detail == "give exactly one of mg_dl or mmol_l, not both")
        let neither = Fixture.rejection(Fixture.decode(.glucose, Fixture.payload("")))
        #expect(neither?.detail == "one of mg_dl or mmol_l is required")
    }
}
