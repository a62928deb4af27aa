import ArgumentParser
import CommandContract
import Foundation
import Storage
import Telemetry

/// `caregate query`: readings, alert events and quarantined messages from the database.
struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read stored readings, alert events or rejected messages.",
        subcommands: [Readings.self, Alerts.self, Rejected.self])

    func run() throws {
        throw UsageError("caregate: give what to query: readings, alerts or rejected (see caregate query --help)")
    }
}

/// Output formats of `caregate query`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, jsonl
}

struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "SQLite database file.")
    var db: String = "/var/lib/caregate/caregate.db"

    @Option(name: .long, help: "Output format: table (readable) or jsonl (one JSON object a line).")
    var format: OutputFormat = .table

    func openReader() throws -> StoreReader {
        guard FileManager.default.fileExists(atPath: db) else {
            throw Failure("caregate: no database at \(db); pass --db PATH")
        }
        do {
            return try StoreReader(path: db)
        } catch {
            throw Failure("caregate: cannot open \(db): \(error)")
        }
    }
}

extension Query {
    struct Readings: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Readings of one device, ordered by ts then seq.")

        @Option(name: .long, help: "Device id.") var device: String
        @Option(name: .long, help: "Station id (when several stations share the database).") var station: String?
        @Option(name: .long, help: "Stream: bp, glucose, ecg, sos or status (all when absent); beat, hr or quality for what the ECG analysis found.") var stream: String?
        @Option(name: .long, help: "From this time, ms since the epoch, inclusive.") var from: Int64?
        @Option(name: .long, help: "To this time, ms since the epoch, exclusive.") var to: Int64?
        @OptionGroup var options: DatabaseOption

        func run() throws {
            var kind: StreamKind?
            if let stream {
                if stream == "beat" || stream == "hr" { return try derived(heartRate: stream == "hr") }
                if stream == "quality" { return try quality() }
                guard let k = StreamKind(name: stream) else {
                    throw UsageError("caregate: unknown stream '\(stream)'; use one of bp, glucose, ecg, sos, status, or beat, hr and quality (from the ECG)")
                }
                kind = k
            }
            let rows = try options.openReader().readings(device: device, station: station, stream: kind,
                                                        from: from ?? .min, to: to ?? .max)
            let out = Output()
            switch options.format {
            case .jsonl:
                for row in rows { out.line(ReadingFormat.json(row.reading)) }
            case .table:
                out.line(ReadingFormat.tableHeader)
                for row in rows { out.line(ReadingFormat.tableRow(row.reading)) }
            }
            out.flush()
        }

        /// The ECG's signal quality where it changed.
        private func quality() throws {
            let rows = try options.openReader().signalQuality(device: device, station: station, from: from ?? .min, to: to ?? .max)
            let out = Output()
            for row in rows {
                switch options.format {
                case .jsonl:
                    var json = JSONWriter(capacity: 96)
                    json.object { o in
                        o.field("station", row.source.station)
                        o.field("device", row.source.device)
                        o.field("stream", "quality")
                        o.field("ts", row.ts)
                        o.field("quality", row.quality)
                    }
                    out.line(json.string)
                case .table:
                    out.line(pad(TimeFormat.iso(row.ts), 25) + pad(row.source.device, 18) + row.quality)
                }
            }
            out.flush()
        }

        /// The beats detected in the device's ECG, or the heart rate at each.
        private func derived(heartRate: Bool) throws {
            let rows = try options.openReader().beats(device: device, station: station, from: from ?? .min, to: to ?? .max)
                .filter { !heartRate || $0.beat.heartRate != nil }
            let out = Output()
            switch options.format {
            case .jsonl:
                for row in rows { out.line(BeatFormat.json(row, heartRate: heartRate)) }
            case .table:
                out.line(BeatFormat.tableHeader(heartRate: heartRate))
                for row in rows { out.line(BeatFormat.tableRow(row, heartRate: heartRate)) }
            }
            out.flush()
        }
    }

    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Alert events in the order they were emitted.")

        @Option(name: .long, help: "From this time, ms since the epoch, inclusive.") var from: Int64?
        @OptionGroup var options: DatabaseOption

        func run() throws {
            let events = try options.openReader().alertEvents(from: from ?? .min)
            let out = Output()
            switch options.format {
            case .jsonl:
                for event in events { out.line(event) }
            case .table:
                out.line(AlertFormat.tableHeader)
                for event in events { out.line(AlertFormat.tableRow(json: event)) }
            }
            out.flush()
        }
    }

    struct Rejected: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Quarantined messages with their reasons, one by one or counted by device and reason.")

        @Option(name: .long, help: "Count instead of listing: device, reason, or device,reason.")
        var groupBy: String?
        @OptionGroup var options: DatabaseOption

        func run() throws {
            if let groupBy {
                let keys = Set(groupBy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                guard !keys.isEmpty, keys.isSubset(of: ["device", "reason"]) else {
                    throw UsageError("caregate: --group-by takes device, reason, or device,reason")
                }
                try counted(byDevice: keys.contains("device"), byReason: keys.contains("reason"))
                return
            }
            let rows = try options.openReader().rejections()
            let out = Output()
            switch options.format {
            case .jsonl:
                for row in rows {
                    var json = JSONWriter()
                    json.object { o in
                        o.field("topic", row.topic)
                        o.field("reason", row.reason)
                        o.field("kind", row.kind)
                        o.field("at", row.at)
                        o.field("size", row.payloadSize)
                    }
                    out.line(json.string)
                }
            case .table:
                out.line(pad("AT", 24) + pad("KIND", 16) + pad("TOPIC", 40) + "REASON")
                for row in rows {
                    out.line(pad(TimeFormat.iso(row.at), 24) + pad(row.kind, 16) + pad(row.topic, 40) + row.reason)
                }
            }
            out.flush()
        }

        /// The quarantine counted by device (the station/device a `care/` topic names, else the
        /// topic) and by reason (the rejection kind), most first.
        private func counted(byDevice: Bool, byReason: Bool) throws {
            struct Group {
                var device: String?
                var kind: String?
                var count = 0
                var first = Int64.max
                var last = Int64.min
                var reason = ""
            }
            var groups: [String: Group] = [:]
            for row in try options.openReader().rejectionCounts() {
                let device = byDevice ? QuarantineSource.device(topic: row.topic) : nil
                let kind = byReason ? row.kind : nil
                let key = "\(device ?? "")\u{0}\(kind ?? "")"
                var g = groups[key] ?? Group(device: device, kind: kind)
                g.count += row.count
                g.first = min(g.first, row.first)
                if row.last >= g.last { g.reason = row.reason }
                g.last = max(g.last, row.last)
                groups[key] = g
            }
            let sorted = groups.values.sorted { ($0.count, $1.device ?? "", $1.kind ?? "") > ($1.count, $0.device ?? "", $0.kind ?? "") }
            let out = Output()
            switch options.format {
            case .jsonl:
                for g in sorted {
                    var json = JSONWriter()
                    json.object { o in
                        if byDevice { o.field("device", g.device) }
                        if byReason { o.field("kind", g.kind) }
                        o.field("count", g.count)
                        o.field("first", g.first)
                        o.field("last", g.last)
                        o.field("reason", g.reason)
                    }
                    out.line(json.string)
                }
            case .table:
                out.line((byDevice ? pad("DEVICE", 32) : "") + (byReason ? pad("KIND", 16) : "") + pad("COUNT", 8)
                         + pad("LAST (UTC)", 24) + "LAST REASON")
                for g in sorted {
                    out.line((byDevice ? pad(g.device ?? "", 32) : "") + (byReason ? pad(g.kind ?? "", 16) : "")
                             + pad(String(g.count), 8) + pad(TimeFormat.iso(g.last), 24) + g.reason)
                }
            }
            out.flush()
        }
    }
}

/// Where a quarantined message came from, for grouping.
enum QuarantineSource {
    /// `station/device` for a `care/{station}/{device}/…` topic, else the topic itself.
    static func device(topic: String) -> String {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count >= 4, parts[0] == "care", !parts[1].isEmpty, !parts[2].isEmpty { return "\(parts[1])/\(parts[2])" }
        return topic
    }
}
