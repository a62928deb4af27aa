import Testing
@testable import Simulation

@Suite("Expectations against the alert events that came")
struct VerificationTests {
    func event(_ event: String, _ rule: String, _ device: String = "bp-1", at minutes: Int64, priority: String = "high", resident: String? = "r-1") -> AlertObservation {
        AlertObservation(id: "a-\(rule)-\(device)", event: event, rule: rule, priority: priority, device: device, resident: resident, offset: minutes * 60_000)
    }

    func expect(_ e: String, _ rule: String, after: Int64, within: Int64? = 1, count: Int = 1, priority: String? = nil, device: String? = nil) -> AlertExpectation {
        AlertExpectation(kind: .event(e, rule: rule, count: count), priority: priority, device: device, resident: nil,
                    after: after * 60_000, until: within.map { (after + $0) * 60_000 }, line: 1)
    }

    @Test("an event inside its window meets the expectation; outside it, it is missed and unexpected")
    func window() {
        let expectations = [expect("raised", "bp.crisis", after: 30, priority: "high", device: "bp-1")]
        let met = Verification(expectations, observed: [event("raised", "bp.crisis", at: 30)], endOffset: 7_200_000, failsOnUnexpected: true)
        #expect(met.passed && met.unexpected.isEmpty)
        let late = Verification(expectations, observed: [event("raised", "bp.crisis", at: 32)], endOffset: 7_200_000, failsOnUnexpected: true)
        #expect(!late.passed && late.outcomes[0].matched.isEmpty && late.unexpected.count == 1)
    }

    @Test("priority, device and resident must agree")
    func fields() {
        let e = [expect("raised", "bp.crisis", after: 0, within: 60, priority: "high", device: "bp-1")]
        #expect(!Verification(e, observed: [event("raised", "bp.crisis", at: 5, priority: "medium")], endOffset: 3_600_000, failsOnUnexpected: true).passed)
        #expect(!Verification(e, observed: [event("raised", "bp.crisis", "bp-2", at: 5)], endOffset: 3_600_000, failsOnUnexpected: true).passed)
        var r = AlertExpectation(kind: .event("raised", rule: "bp.crisis", count: 1), resident: "r-2", after: 0, until: nil, line: 1)
        r.resident = "r-2"
        #expect(!Verification([r], observed: [event("raised", "bp.crisis", at: 5)], endOffset: 3_600_000, failsOnUnexpected: true).passed)
    }

    @Test("counts: exactly as many; more raised events are unexpected; updates are not")
    func counts() {
        let e = [expect("updated", "bp.crisis", after: 0, within: 60, count: 2), expect("raised", "bp.crisis", after: 0, within: 60)]
        let observed = [event("raised", "bp.crisis", at: 1), event("updated", "bp.crisis", at: 2), event("updated", "bp.crisis", at: 3),
                        event("updated", "bp.crisis", at: 4), event("resolved", "bp.crisis", at: 5)]
        #expect(Verification(e, observed: observed, endOffset: 3_600_000, failsOnUnexpected: true).passed)
        let twice = observed + [event("raised", "bp.crisis", at: 6)]
        let v = Verification(e, observed: twice, endOffset: 3_600_000, failsOnUnexpected: true)
        #expect(!v.passed && v.unexpected.count == 1)
        #expect(Verification(e, observed: twice, endOffset: 3_600_000, failsOnUnexpected: false).passed)
        let short = Verification(e, observed: Array(observed.prefix(2)), endOffset: 3_600_000, failsOnUnexpected: true)
        #expect(!short.passed && short.outcomes[0].matched.count == 1)
    }

    @Test("none: any event of the named rules in the window breaks it")
    func none() {
        let quiet = AlertExpectation(kind: .none(rules: ["glucose.low"]), after: 0, until: 30 * 60_000, line: 3)
        let any = AlertExpectation(kind: .none(rules: []), device: "sos-1", after: 0, until: nil, line: 4)
        let fine = [event("raised", "glucose.low", "cgm-1", at: 40, priority: "medium")]
        #expect(Verification([quiet, any, expect("raised", "glucose.low", after: 40)], observed: fine, endOffset: 3_600_000, failsOnUnexpected: true).passed)
        let early = [event("resolved", "glucose.low", "cgm-1", at: 10, priority: "medium")]
        #expect(!Verification([quiet], observed: early, endOffset: 3_600_000, failsOnUnexpected: true).passed)
        #expect(!Verification([any], observed: [event("updated", "sos.call", "sos-1", at: 50)], endOffset: 3_600_000, failsOnUnexpected: true).passed)
    }

    @Test("an alert event as the gateway publishes it")
    func parse() {
        let json = #"{"id":"a-1","event":"raised","rule":"bp.crisis","priority":"high","station":"st01","device":"bp-1","stream":"bp","resident":null,"value":{"systolic":190},"reading_ts":1764000000000,"reading_seq":17,"at":1764000000001}"#
        let o = Array(json.utf8).withUnsafeBytes { AlertObservation.parse($0, offset: 5, arrivedNanos: 9) }
        #expect(o == AlertObservation(id: "a-1", event: "raised", rule: "bp.crisis", priority: "high", device: "bp-1", resident: nil,
                                      readingSeq: 17, readingTs: 1_764_000_000_000, offset: 5, arrivedNanos: 9))
        #expect(Array("{}".utf8).withUnsafeBytes { AlertObservation.parse($0, offset: 0, arrivedNanos: 0) } == nil)
    }
}
