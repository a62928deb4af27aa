@testable import AlertEngine
import Telemetry
import Testing

/// The per-measure index must pick exactly the families that evaluating every family would act
/// on: the same events, in the same order, for random rules and readings.
@Suite struct IndexTests {
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    func randomBook(_ random: inout Random) -> RuleBook {
        let measures: [Measure] = [.systolic, .diastolic, .pulse]
        let comparisons: [Condition.Comparison] = [.atLeast, .above, .below, .atMost]
        var families: [RuleFamily] = []
        for f in 0..<20 {
            let rules = (0..<(1 + random.next(3))).map { r in
                ThresholdRule(id: "bp.r\(f)-\(r)", priority: Priority(rawValue: UInt8(1 + random.next(3)))!,
                              conditions: (0..<(1 + random.next(2))).map { _ in
                                  Condition(measures[random.next(3)], comparisons[random.next(4)], Double(40 + random.next(160)))
                              })
            }
            families.append(RuleFamily(name: "bp.f\(f)", stream: .bp, rules: rules, hysteresisMargin: Double(random.next(6)),
                                       delay: random.next(4) == 0 ? ConditionDelay(readings: 2) : nil))
        }
        return RuleBook(families: families, silence: nil)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func theIndexActsLikeEvaluatingEveryFamily(seed: Int) {
        var random = Random(state: UInt64(seed))
        let book = randomBook(&random)
        var indexed = AlertEngine(rules: book)
        var reference = AlertEngine(rules: book)
        reference.usesIndex = false
        var sequences = (0..<5).map { ReadingSequence(source: DeviceAddress(station: "st01", device: "bp-\($0)")) }
        for i in 0..<2_000 {
            let d = random.next(5)
            // Integers hit limits exactly, so equal values test the strict and non-strict edges.
            let value = bp(Double(40 + random.next(170)), Double(30 + random.next(100)), pulse: Double(30 + random.next(150)))
            let reading = sequences[d].next(value, resident: random.next(3) == 0 ? "r-\(random.next(3))" : nil)
            let a = indexed.ingest(reading, now: t0 + Int64(i))
            let b = reference.ingest(reading, now: t0 + Int64(i))
            #expect(a.events == b.events, "reading \(i)")
            if a.events != b.events { return }
        }
        #expect(indexed.openAlerts.sorted { $0.id < $1.id } == reference.openAlerts.sorted { $0.id < $1.id })
    }
}
