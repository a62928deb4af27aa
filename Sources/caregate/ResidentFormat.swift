import Foundation
import Storage
import Telemetry

/// How `caregate residents show|list` print a resident.
enum ResidentFormat {
    /// One period in which a device was the resident's.
    struct Period {
        var device: DeviceAddress
        var kind: StreamKind?
        var assignment: Assignment
    }

    /// Every device the resident has had, oldest period first.
    static func periods(of resident: String, in registry: Registry) -> [Period] {
        registry.devices.values.flatMap { device in
            device.assignments.filter { $0.resident == resident }.map { Period(device: device.address, kind: device.kind, assignment: $0) }
        }.sorted { ($0.assignment.from, $0.device.description) < ($1.assignment.from, $1.device.description) }
    }

    /// The readable card of `residents show`.
    static func card(_ r: Resident, _ periods: [Period]) -> String {
        var lines = ["\(r.id)  \(r.name)", "  station     \(r.station)", "  born        \(r.born ?? "-")",
                     "  care team   \(r.careTeam.isEmpty ? "-" : r.careTeam.joined(separator: ", "))"]
        if !r.identifiers.isEmpty { lines.append("  identifiers \(r.identifiers.map(masked).joined(separator: ", "))") }
        lines.append("  contacts    \(r.contacts.isEmpty ? "-" : "")")
        for c in r.contacts { lines.append("    \(c.name)\(c.relation.isEmpty ? "" : " (\(c.relation))")  \(c.phone)") }
        lines.append("  devices     \(periods.isEmpty ? "-" : "")")
        for p in periods.reversed() {
            let until = p.assignment.to.map { "until \(RegistryTime.text($0))" } ?? "now"
            lines.append("    \(pad(p.device.description, 24))\(pad(p.kind?.name ?? "-", 9))from \(RegistryTime.text(p.assignment.from)) \(until)")
        }
        lines.append("  limits      \(r.limits.isEmpty ? "the station's" : "")")
        for (rule, conditions) in r.limits.sorted(by: { $0.key < $1.key }) {
            lines.append("    \(pad(rule, 18))\(conditions.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON object: the resident, with the devices of `periods`.
    static func json(_ r: Resident, _ periods: [Period]) -> String {
        var object: [String: Any] = [
            "id": r.id, "name": r.name, "station": r.station, "born": r.born ?? NSNull(), "care_team": r.careTeam,
            "identifiers": r.identifiers, "limits": r.limits,
            "contacts": r.contacts.map { ["name": $0.name, "relation": $0.relation, "phone": $0.phone] },
        ]
        object["devices"] = periods.map { p -> [String: Any] in
            ["device": p.device.device, "station": p.device.station, "kind": p.kind?.name ?? NSNull(),
             "from": p.assignment.from, "to": p.assignment.to ?? NSNull()]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// An ID-card number shown as `1101************34`: enough to tell which, not enough to copy.
    static func masked(_ identifier: String) -> String {
        guard identifier.count >= 8 else { return identifier }
        return String(identifier.prefix(4)) + String(repeating: "*", count: identifier.count - 6) + String(identifier.suffix(2))
    }
}
