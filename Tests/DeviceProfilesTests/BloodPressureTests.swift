import DeviceProfiles
import Telemetry
import Testing

@Suite("bp")
struct BloodPressureTests {
    @Test(
        "accepted, in mmHg",
        arguments: [
            (#""systolic":120,"diastolic":80"#, 120.0, 80.0, nil as Double?),
            (#""systolic":142,"diastolic":91,"pulse":78"#, 142, 91, 78),
            (#""systolic":20.1,"diastolic":20"#, 20.1, 20, nil),
            (#""systolic":300,"diastolic":299.9"#, 300, 299.9, nil),
            (#""systolic":120.5,"diastolic":80.25,"pulse":20"#, 120.5, 80.25, 20),
            (#""systolic":120,"diastolic":80,"pulse":300"#, 120, 80, 300),
            (#""systolic":120,"diastolic":80,"pulse":null"#, 120, 80, nil),
            (#""systolic":120,"diastolic":80,"unit":"mmHg""#, 120, 80, nil),
            (#""systolic":120,"diastolic":80,"unit":null"#, 120, 80, nil),
            (#""systolic":1.2e2,"diastolic":8E1"#, 120, 80, nil),
            (#""systolic":16,"diastolic":10.7,"unit":"kPa""#, 120.01, 80.257, nil),  // rounded to 0.001 mmHg
            (#""systolic":39.99,"diastolic":2.67,"unit":"kPa","pulse":60"#, 299.95, 20.027, 60),
            (#""systolic":16,"diastolic":10.7,"unit":"k\u0050a""#, 120.01, 80.257, nil),
        ])
    func accepted(_ fields: String, _ systolic: Double, _ diastolic: Double, _ pulse: Double?) {
        let bp = Fixture.value(.bp, Fixture.payload(fields))?.bloodPressure
        #expect(close(bp?.systolic, systolic))
        #expect(close(bp?.diastolic, diastolic))
        #expect(close(bp?.pulse, pulse))
    }

    @Test(
        "rejected",
        arguments: [
            (#""systolic":19.9,"diastolic":10"#, RejectionKind.outOfRange),
            (#""systolic":300.1,"diastolic":80"#, .outOfRange),
            (#""systolic":120,"diastolic":19.9"#, .outOfRange),
            (#""systolic":300,"diastolic":300.1"#, .outOfRange),
            (#""systolic":120,"diastolic":120"#, .outOfRange),
            (#""systolic":80,"diastolic":120"#, .outOfRange),
            (#""systolic":120,"diastolic":80,"pulse":19.9"#, .outOfRange),
            (#""systolic":120,"diastolic":80,"pulse":300.1"#, .outOfRange),
            (#""systolic":120,"diastolic":80,"pulse":0"#, .outOfRange),
            (#""systolic":-120,"diastolic":-180"#, .outOfRange),
            (#""systolic":40,"diastolic":10.7,"unit":"kPa""#, .outOfRange),  // 300.02 mmHg
            (#""systolic":16,"diastolic":2.66,"unit":"kPa""#, .outOfRange),  // 19.95 mmHg
            (#""systolic":120,"diastolic":80,"unit":"mmhg""#, .outOfRange),
            (#""systolic":120,"diastolic":80,"unit":"KPA""#, .outOfRange),
            (#""systolic":120,"diastolic":80,"unit":"""#, .outOfRange),
            (#""systolic":120,"diastolic":80,"unit":"cmH2O""#, .outOfRange),
            (#""systolic":120,"diastolic":80,"unit":1"#, .wrongType),
            (#""diastolic":80"#, .missingField),
            (#""systolic":120"#, .missingField),
            (#""systolic":null,"diastolic":80"#, .missingField),
            (#""systolic":120,"diastolic":null"#, .missingField),
            ("", .missingField),
            (#""systolic":"120","diastolic":80"#, .wrongType),
            (#""systolic":true,"diastolic":80"#, .wrongType),
            (#""systolic":[120],"diastolic":80"#, .wrongType),
            (#""systolic":{"v":120},"diastolic":80"#, .wrongType),
            (#""systolic":120,"diastolic":"80""#, .wrongType),
            (#""systolic":120,"diastolic":80,"pulse":"78""#, .wrongType),
        ])
    func rejected(_ fields: String, _ kind: RejectionKind) {
        #expect(Fixture.kind(.bp, Fixture.payload(fields)) == kind)
    }

    @Test("the detail names the broken rule")
    func details() {
        let r = Fixture.rejection(Fixture.decode(.bp, Fixture.payload(#""systolic":19.9,"diastolic":10"#)))
        #expect(r?.description == "out_of_range: systolic must be 20–300 mmHg")
        let s = Fixture.rejection(Fixture.decode(.bp, Fixture.payload(#""systolic":100,"diastolic":110"#)))
        #expect(s?.detail == "systolic must be greater than diastolic")
    }
}
