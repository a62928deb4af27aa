/// A person the station cares for, as the registry knows them.
public struct Resident: Sendable, Equatable {
    /// The station's id for the resident, e.g. `r-0042`: what readings and alerts carry.
    public var id: String
    public var name: String
    /// The station the resident belongs to.
    public var station: String
    /// Date of birth, `YYYY-MM-DD`.
    public var born: String?
    /// The family doctor team: doctors and nurses responsible, in the order given.
    public var careTeam: [String]
    /// Whom to call besides the care team (family), in the order given.
    public var contacts: [Contact]
    /// Other numbers that name the resident in payloads, e.g. the ID-card number a shared kiosk sends.
    public var identifiers: [String]
    /// The family doctor's limits for this resident: rule id → conditions that replace the
    /// station's, as the rules file writes them (`systolic >= 150`).
    public var limits: [String: [String]]

    public init(id: String, name: String, station: String, born: String? = nil, careTeam: [String] = [],
                contacts: [Contact] = [], identifiers: [String] = [], limits: [String: [String]] = [:]) {
        self.id = id
        self.name = name
        self.station = station
        self.born = born
        self.careTeam = careTeam
        self.contacts = contacts
        self.identifiers = identifiers
        self.limits = limits
    }

    /// Whether `text` can be a resident's id: `[A-Za-z0-9._-]{1,64}`, like a device's.
    public static func isID(_ text: some StringProtocol) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
    }
}

/// Someone to call about a resident: a son, a daughter, a neighbour.
public struct Contact: Sendable, Equatable {
    public var name: String
    /// How they are related, e.g. `son`; may be empty.
    public var relation: String
    public var phone: String

    public init(name: String, relation: String = "", phone: String) {
        self.name = name
        self.relation = relation
        self.phone = phone
    }
}
