/// The registry a gateway needs to attribute a scenario's readings: its residents and the
/// devices it registers, in the YAML of `caregate residents import`.
public enum ScenarioRegistry {
    /// Devices are assigned from 2000-01-01, so every reading of any run falls in their period.
    public static func yaml(_ scenario: Scenario) -> String {
        var out = "# The registry of \(scenario.file) for: caregate residents import FILE\n"
        out += "# \(scenario.title)\n\nresidents:\n"
        for r in scenario.residents {
            out += "  - id: \(r.id)\n    station: \(scenario.station)\n"
            out += "    name: \(quoted(r.name ?? "Resident \(r.id)"))\n"
        }
        out += "\ndevices:\n"
        for d in scenario.devices where d.registered {
            out += "  - id: \(scenario.station)/\(d.id)\n"
            // A pendant that only sends heartbeats has no kind of measurement.
            if d.stream != .status { out += "    kind: \(d.stream.name)\n" }
            out += "    profile: \(profileName(d.profile))\n"
            if let resident = d.resident {
                out += "    resident: \(resident)\n    from: 2000-01-01\n"
            } else if !d.measures.isEmpty {
                out += "    shared: true\n"
            }
        }
        return out
    }

    /// The registry's name of a profile.
    static func profileName(_ p: SimProfile) -> String {
        switch p {
        case .canonical: "canonical"
        case .senml: "senml"
        case .bleGatt: "ble-gatt"
        case .polarPMD: "polar-pmd"
        }
    }

    private static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
