/// An alert event a scenario must cause, or a rule that must stay quiet.
public struct AlertExpectation: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `count` events of this kind and rule within the window.
        case event(String, rule: String, count: Int)
        /// No event of these rules (empty: of any rule) within the window.
        case none(rules: [String])
    }

    public var kind: Kind
    public var priority: String?
    public var device: String?
    public var resident: String?
    /// Scenario time the window opens, ms.
    public var after: Int64
    /// Scenario time the window closes, ms; nil: at the end of the run.
    public var until: Int64?
    public var line: Int

    /// One line for reports: `bp.crisis raised (high, bp-0001) 30m–31m`.
    public var summary: String {
        var what: String
        switch kind {
        case .event(let event, let rule, let count): what = "\(rule) \(event)" + (count > 1 ? " ×\(count)" : "")
        case .none(let rules): what = "no " + (rules.isEmpty ? "alert" : rules.joined(separator: ", "))
        }
        let details = [priority, device, resident].compactMap { $0 }
        if !details.isEmpty { what += " (\(details.joined(separator: ", ")))" }
        return what + " " + SimDuration.text(after) + "–" + (until.map(SimDuration.text) ?? "end")
    }
}
