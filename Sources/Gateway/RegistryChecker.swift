import AlertEngine
import DeviceProfiles
import Foundation
import Storage
import Telemetry

/// Checks what a registry file says, entry by entry, the same for YAML and CSV, and collects the
/// changes to store. Checks that need the stored registry (an identifier another resident holds,
/// a device's assignment history) are the store's, at import.
struct RegistryChecker {
    /// A resident as written, before checking.
    struct Draft {
        var id: String?
        var name: String?
        var station: String?
        var born: String?
        var careTeam: [String] = []
        var contacts: [Contact] = []
        var identifiers: [String] = []
        var limits: [String: [String]] = [:]
    }

    /// A device as written, before checking.
    struct DeviceDraft {
        var id: String?
        var station: String?
        var kind: String?
        var profile: String?
        var shared = false
        var resident: String?
        var from: String?
    }

    let path: String
    let rules: RuleBook
    private(set) var entries: [RegistryEntry] = []
    /// Residents of this file: id → station.
    private var stations: [String: String] = [:]
    private var identifiers: [String: String] = [:]
    private var devices: Set<DeviceAddress> = []

    init(path: String, rules: RuleBook) {
        self.path = path
        self.rules = rules
    }

    func error(_ line: Int, _ message: String) -> ConfigurationError {
        ConfigurationError("\(path):\(line): \(message)")
    }

    mutating func add(_ draft: Draft, line: Int) throws(ConfigurationError) {
        guard let id = draft.id else { throw error(line, "a resident needs an id") }
        guard Resident.isID(id) else { throw error(line, "resident id '\(id)': use 1–64 letters, digits, '.', '_' or '-'") }
        guard stations[id] == nil else { throw error(line, "resident \(id) is in the file twice") }
        guard let name = draft.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name.count <= 100 else {
            throw error(line, "resident \(id) needs a name (at most 100 characters)")
        }
        guard let station = draft.station, CareTopic.isStationID(station) else {
            throw error(line, "resident \(id) needs a station: 1–32 of a–z, 0–9 and '-', as in the topics")
        }
        if let born = draft.born, !Self.isBirthDate(born) {
            throw error(line, "resident \(id): born '\(born)' is not a date of birth; write YYYY-MM-DD")
        }
        for member in draft.careTeam where member.contains("\n") || member.isEmpty {
            throw error(line, "resident \(id): a care_team member is a name on one line")
        }
        for contact in draft.contacts {
            guard !contact.name.isEmpty else { throw error(line, "resident \(id): a contact needs a name") }
            guard Self.isPhone(contact.phone) else {
                throw error(line, "resident \(id): contact \(contact.name)'s phone '\(contact.phone)' is not a phone number")
            }
        }
        for identifier in draft.identifiers {
            guard (1...64).contains(identifier.utf8.count), !identifier.contains(where: \.isWhitespace) else {
                throw error(line, "resident \(id): identifier '\(identifier)' must be 1–64 characters without spaces")
            }
            if let other = identifiers[identifier], other != id {
                throw error(line, "resident \(id): identifier \(identifier) already names resident \(other) in this file")
            }
            identifiers[identifier] = id
        }
        do {
            _ = try ResidentLimits.parse(draft.limits, in: rules)
        } catch {
            throw self.error(line, "resident \(id): \(error)")
        }
        stations[id] = station
        entries.append(RegistryEntry(.resident(Resident(id: id, name: name, station: station, born: draft.born,
                                                        careTeam: draft.careTeam, contacts: draft.contacts,
                                                        identifiers: draft.identifiers, limits: draft.limits)), line: line))
    }

    mutating func add(_ draft: DeviceDraft, line: Int) throws(ConfigurationError) {
        guard let written = draft.id else { throw error(line, "a device needs an id") }
        let parts = written.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let deviceID = parts.last ?? ""
        let station = parts.count == 2 ? parts[0] : draft.station ?? draft.resident.flatMap { stations[$0] }
        guard parts.count <= 2, CareTopic.isDeviceID(deviceID) else {
            throw error(line, "device id '\(written)': write DEVICE or STATION/DEVICE, the device as in its topics")
        }
        guard let station, CareTopic.isStationID(station) else {
            throw error(line, "device \(written) needs a station: write STATION/DEVICE or station: ST")
        }
        if parts.count == 2, let other = draft.station, other != station {
            throw error(line, "device \(written) names station \(station) and station: \(other)")
        }
        let address = DeviceAddress(station: station, device: deviceID)
        guard devices.insert(address).inserted else { throw error(line, "device \(address) is in the file twice") }
        var kind: StreamKind?
        if let text = draft.kind {
            guard let k = RegisteredDevice.kind(named: text) else { throw error(line, "device \(address): kind must be bp, glucose, ecg or sos") }
            kind = k
        }
        if let profile = draft.profile, !(1...64).contains(profile.count) || !profile.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            throw error(line, "device \(address): profile '\(profile)' is not a profile name")
        }
        if draft.shared && draft.resident != nil {
            throw error(line, "device \(address) is shared: each reading names its resident, so it takes no resident")
        }
        if draft.from != nil && draft.resident == nil { throw error(line, "device \(address): from: needs a resident") }
        var from: Int64?
        if let text = draft.from {
            guard let ms = RegistryTime.parse(text) else {
                throw error(line, "device \(address): from '\(text)' is not a time; write YYYY-MM-DD, YYYY-MM-DD HH:MM or with a zone, +08:00")
            }
            from = ms
        }
        entries.append(RegistryEntry(.device(RegisteredDevice(address: address, kind: kind, profile: draft.profile, shared: draft.shared),
                                             assignTo: draft.resident, from: from), line: line))
    }

    /// `YYYY-MM-DD`, a real day from 1900 to today.
    static func isBirthDate(_ text: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        guard text.count == 10, let date = formatter.date(from: text) else { return false }
        return date.timeIntervalSince1970 >= -2_208_988_800 && date <= Date()
    }

    /// Digits with `+`, spaces, `-` and brackets, as people write phone numbers.
    static func isPhone(_ text: String) -> Bool {
        (3...32).contains(text.count) && text.count(where: \.isNumber) >= 3
            && text.allSatisfy { ($0.isASCII && $0.isNumber) || "+- ()".contains($0) }
    }
}
