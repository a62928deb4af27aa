import DeviceProfiles
import Telemetry
import Testing

@Suite("sos and status")
struct EmergencyAndStatusTests {
    @Test("sos causes", arguments: EmergencyCause.allCases)
    func cause(_ cause: EmergencyCause) {
        let call = Fixture.value(.sos, Fixture.payload(#""cause":"\#(cause.rawValue)""#))?.sos
        #expect(call == EmergencyCall(cause: cause, cancel: false))
    }

    @Test(
        "sos fields",
        arguments: [
            (#""cause":"fall","cancel":true"#, EmergencyCall(cause: .fall, cancel: true) as EmergencyCall?,
             nil as RejectionKind?),
            (#""cause":"button","cancel":false"#, EmergencyCall(cause: .button), nil),
            (#""cause":"voice","cancel":null"#, EmergencyCall(cause: .voice), nil),
            (#""cause":"pull\u005fcord""#, EmergencyCall(cause: .pull_cord), nil),
            (#""cause":"Fall""#, nil, .outOfRange),
            (#""cause":"pull cord""#, nil, .outOfRange),
            (#""cause":"""#, nil, .outOfRange),
            (#""cause":1"#, nil, .wrongType),
            (#""cause":null"#, nil, .missingField),
            ("", nil, .missingField),
            (#""cancel":true"#, nil, .missingField),
            (#""cause":"fall","cancel":"true""#, nil, .wrongType),
            (#""cause":"fall","cancel":1"#, nil, .wrongType),
        ])
    func sos(_ fields: String, _ call: EmergencyCall?, _ kind: RejectionKind?) {
        let result = Fixture.decode(.sos, Fixture.payload(fields))
        #expect(result.kind == kind)
        if let call { #expect((try? result.get())?.value.sos == call) }
    }

    @Test(
        "status fields",
        arguments: [
            ("", DeviceStatus() as DeviceStatus?, nil as RejectionKind?),
            (#""battery":87"#, DeviceStatus(battery: 87), nil),
            (#""battery":0,"rssi":-150"#, DeviceStatus(battery: 0, rssi: -150), nil),
            (#""battery":100,"rssi":20"#, DeviceStatus(battery: 100, rssi: 20), nil),
            (#""battery":15.5,"rssi":-71.5"#, DeviceStatus(battery: 15.5, rssi: -71.5), nil),
            (#""battery":null,"rssi":null"#, DeviceStatus(), nil),
            (#""battery":-0.1"#, nil, .outOfRange),
            (#""battery":100.1"#, nil, .outOfRange),
            (#""rssi":-150.1"#, nil, .outOfRange),
            (#""rssi":20.1"#, nil, .outOfRange),
            (#""battery":"87""#, nil, .wrongType),
            (#""rssi":[]"#, nil, .wrongType),
        ])
    func status(_ fields: String, _ status: DeviceStatus?, _ kind: RejectionKind?) {
        let result = Fixture.decode(.status, Fixture.payload(fields))
        #expect(result.kind == kind)
        if let status { #expect((try? result.get())?.value.status == status) }
    }
}
