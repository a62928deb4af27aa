import AlertEngine
import Telemetry
import Testing

/// Every default rule of PROTOCOL.md §2 at its limit, on both sides.
@Suite struct RuleBoundaryTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var value: ReadingValue
        var expected: [String]
        var testDescription: String { "\(value) → \(expected)" }
    }

    static let cases: [Case] = [
        // bp.crisis: systolic ≥ 180 or diastolic ≥ 110 (high); bp.high: ≥ 160 or ≥ 100 (medium).
        Case(value: bp(180, 90), expected: ["raised bp.crisis high"]),
        Case(value: bp(179.9, 90), expected: ["raised bp.high medium"]),
        Case(value: bp(150, 110), expected: ["raised bp.crisis high"]),
        Case(value: bp(150, 109.9), expected: ["raised bp.high medium"]),
        Case(value: bp(160, 90), expected: ["raised bp.high medium"]),
        Case(value: bp(159.9, 90), expected: []),
        Case(value: bp(150, 100), expected: ["raised bp.high medium"]),
        Case(value: bp(150, 99.9), expected: []),
        Case(value: bp(190, 120), expected: ["raised bp.crisis high"]),
        // bp.low: systolic < 90 or diastolic < 60 (medium).
        Case(value: bp(89.9, 70), expected: ["raised bp.low medium"]),
        Case(value: bp(90, 70), expected: []),
        Case(value: bp(120, 59.9), expected: ["raised bp.low medium"]),
        Case(value: bp(120, 60), expected: []),
        // hr.extreme from the cuff's pulse: < 40 or > 150 (high).
        Case(value: bp(120, 80, pulse: 39.9), expected: ["raised hr.extreme high"]),
        Case(value: bp(120, 80, pulse: 40), expected: []),
        Case(value: bp(120, 80, pulse: 150), expected: []),
        Case(value: bp(120, 80, pulse: 150.1), expected: ["raised hr.extreme high"]),
        Case(value: bp(120, 80), expected: []),
        // A reading can meet two families at once.
        Case(value: bp(185, 100, pulse: 35), expected: ["raised bp.crisis high", "raised hr.extreme high"]),
        // glucose.very_low < 54 (high), glucose.low < 70 (medium), glucose.high > 300 (medium).
        Case(value: glucose(53.9), expected: ["raised glucose.very_low high"]),
        Case(value: glucose(54), expected: ["raised glucose.low medium"]),
        Case(value: glucose(69.9), expected: ["raised glucose.low medium"]),
        Case(value: glucose(70), expected: []),
        Case(value: glucose(300), expected: []),
        Case(value: glucose(300.1), expected: ["raised glucose.high medium"]),
        // device.battery ≤ 15 % (low).
        Case(value: battery(15), expected: ["raised device.battery low"]),
        Case(value: battery(15.1), expected: []),
        // sos.call: any call (high); a cancel alone raises nothing.
        Case(value: sos(), expected: ["raised sos.call high"]),
        Case(value: sos(cancel: true), expected: []),
    ]

    @Test(arguments: cases)
    func firstReading(_ c: Case) {
        #expect(AlertEngine.firstEvents(c.value) == c.expected)
    }
}
