import AlertEngine
import DeviceProfiles
import Foundation
import MQTT
import Storage

/// Everything `caregate run` needs, from the config file with command-line flags on top.
/// `systemd/caregate.yaml` shows every option with its default.
public struct Configuration: Sendable {
    /// Stations served: their ids, or nil for every station on the broker (`+`).
    public var stations: [String]?
    public var broker: BrokerURL = BrokerURL(host: "127.0.0.1", port: 1883)
    /// The MQTT client id; stable, so that the broker keeps the session across restarts.
    public var clientID: String = Configuration.defaultClientID()
    public var username: String?
    public var password: String?
    public var keepAliveSeconds = 30
    public var reconnectDelayMaxSeconds = 30
    public var tls: TLSOptions?
    /// The SQLite database; the spool files sit next to it.
    public var databasePath = "/var/lib/caregate/caregate.db"
    public var writer = StoreWriter.Options()
    public var logLevel = "info"
    /// The rules file; nil uses the built-in defaults (the same as `systemd/rules.yaml`).
    public var rulesFile: String?
    /// The station's on-call list and escalation timeouts.
    public var onCall = OnCall()
    /// Device profile files, or folders of them (`devices/`): the vendor JSON profiles they
    /// declare are read besides the built-in ones.
    public var profiles: [String] = []
    /// The station's offset from UTC in minutes, for devices that send local times without a
    /// zone (GATT base time, vendors' date-times). Default: this machine's time zone now.
    public var utcOffsetMinutes = TimeZone.current.secondsFromGMT() / 60
    /// The sample rate Polar PMD ECG streams were started with.
    public var polarECGHz = 130

    public init(stations: [String]? = nil) {
        self.stations = stations
    }

    /// The built-in and vendor profiles, the vendors' read from their files.
    public func profileSet() throws(ConfigurationError) -> ProfileSet {
        ProfileSet(vendors: try ProfileFile.loadVendors(profiles), utcOffsetMinutes: utcOffsetMinutes, polarECGHz: polarECGHz)
    }

    /// Parses a time zone: an IANA name (`Asia/Shanghai`) at its offset now, `UTC`, or `±hh:mm`.
    public static func parseUTCOffset(_ text: String) -> Int? {
        let b = Array(text.utf8)
        if b.count == 6, b[0] == 0x2B || b[0] == 0x2D, b[3] == 0x3A,
           let h = Int(String(decoding: b[1...2], as: UTF8.self)), let m = Int(String(decoding: b[4...5], as: UTF8.self)),
           h <= 14, m < 60 {
            return (b[0] == 0x2D ? -1 : 1) * (h * 60 + m)
        }
        return TimeZone(identifier: text).map { $0.secondsFromGMT() / 60 }
    }

    /// Parses `--station`: one id, a comma-separated list, or `+` for every station.
    public static func parseStations(_ text: String) throws(ConfigurationError) -> [String]? {
        let trimmed = text.trimmingSpaces
        if trimmed == "+" { return nil }
        let ids = trimmed.split(separator: ",").map { String($0).trimmingSpaces }
        guard !ids.isEmpty else { throw ConfigurationError("station: give an id, a comma-separated list, or +") }
        for id in ids where !CareTopic.isStationID(id) {
            throw ConfigurationError("station '\(id)' is not a valid id: use 1–32 of a-z, 0-9 and -")
        }
        return ids
    }

    static func defaultClientID() -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0
            ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "station"
        return "caregate-\(host)"
    }
}

/// Who is asked when an alert is raised, and after how long the next tier is asked.
public struct OnCall: Sendable, Equatable {
    public struct Tier: Sendable, Equatable {
        public var name: String
        public var members: [String]
        public init(name: String, members: [String]) {
            self.name = name
            self.members = members
        }
    }

    /// Tier 1 is asked first. Default: one tier, the nurse on duty.
    public var tiers: [Tier] = [Tier(name: "nurse on duty", members: [])]
    /// Timeouts by priority in ms; nil never escalates. Defaults: high 2 min, medium 10 min, low never.
    public var high: Int64? = 120_000
    public var medium: Int64? = 600_000
    public var low: Int64?

    public init() {}

    /// The engine's view: how many tiers and the timeouts.
    public var policy: EscalationPolicy {
        EscalationPolicy(tiers: tiers.count, high: high, medium: medium, low: low)
    }
}

/// A configuration that cannot be used; the message says where and why.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

#if canImport(Glibc)
import Glibc
#endif
