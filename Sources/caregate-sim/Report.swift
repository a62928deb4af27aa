import Simulation

/// The summary a tester reads at the end of a run.
enum Report {
    static func print(_ s: Scenario, result: Player.Result, observed: [AlertObservation], verification: Verification?, end: Int64) {
        let topics = result.byTopic.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        Swift.print("  Sent \(result.sent) messages in \(String(format: "%.1f", result.wallSeconds)) s (\(topics))"
            + (result.publishErrors > 0 ? "; \(result.publishErrors) failed: \(result.firstError ?? "")" : ""))

        var byRule: [String: [String: Int]] = [:]
        for o in observed { byRule[o.rule, default: [:]][o.event, default: 0] += 1 }
        Swift.print("  Alert events seen: \(observed.count)")
        let events = ["raised", "updated", "escalated", "acknowledged", "resolved"]
        for (rule, counts) in byRule.sorted(by: { $0.key < $1.key }) {
            let line = events.compactMap { e in counts[e].map { "\(e) \($0)" } }.joined(separator: ", ")
            Swift.print("    \(pad(rule, 22)) \(line)")
        }
        let raised = observed.filter { $0.event == "raised" }.count
        let residentDays = Double(max(1, s.residents.count)) * Double(s.durationMillis) / 86_400_000
        Swift.print("  Alarm burden: \(String(format: "%.2f", Double(raised) / residentDays)) alerts raised per resident-day "
            + "(\(raised) raised, \(s.residents.count) residents, \(SimDuration.text(s.durationMillis)))")
        let latencies = observed.compactMap(\.latencyMillis).sorted()
        if let worst = latencies.last {
            Swift.print(String(format: "  Alert latency, reading sent to event seen: median %.1f ms, max %.1f ms (wall clock)", latencies[latencies.count / 2], worst))
        }
        for note in result.unanswered { Swift.print("  NOTE  \(note)") }

        guard let verification else { return }
        Swift.print("  Expectations")
        for o in verification.outcomes {
            let seen = o.matched.map { "\(SimDuration.text($0.offset))" }.joined(separator: ", ")
            let detail: String = switch o.expectation.kind {
            case .none: o.passed ? "" : "but: " + o.matched.map { "\($0.rule) \($0.event) \($0.device) at \(SimDuration.text($0.offset))" }.joined(separator: "; ")
            case .event(_, _, let count): o.passed ? "at \(seen)" : "\(o.matched.count) of \(count) came" + (seen.isEmpty ? "" : " (at \(seen))")
            }
            Swift.print("    \(o.passed ? "ok  " : "MISS") \(pad(o.expectation.summary, 58)) \(detail)  [line \(o.expectation.line)]")
        }
        if !verification.unexpected.isEmpty {
            Swift.print("  Unexpected alerts" + (verification.failsOnUnexpected ? "" : " (reported, not failed: unexpected: report)"))
            for o in verification.unexpected.prefix(50) {
                Swift.print("    \(o.rule) \(o.event) \(o.priority) \(o.device) \(o.resident ?? "-") at \(SimDuration.text(o.offset))")
            }
            if verification.unexpected.count > 50 { Swift.print("    … and \(verification.unexpected.count - 50) more") }
        }
        let met = verification.outcomes.filter(\.passed).count
        let verdict = verification.passed && result.unanswered.isEmpty ? "PASSED" : "FAILED"
        Swift.print("  \(verdict): \(met) of \(verification.outcomes.count) expectations met, \(verification.unexpected.count) unexpected alerts")
    }

    static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }
}
