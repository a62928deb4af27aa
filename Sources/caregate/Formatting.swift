import Foundation
import Storage
import Telemetry

/// Buffered standard output: one write per 64 KiB rather than per line.
final class Output {
    private var buffer: [UInt8] = []

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Pads (or cuts) `text` to `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    let cut = text.count >= width ? String(text.prefix(width - 1)) : text
    return cut + String(repeating: " ", count: width - cut.count)
}

enum TimeFormat {
    /// `2024-11-22 08:00:00.123` in UTC.
    static func iso(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}

/// How `caregate query readings` shows a reading.
enum ReadingFormat {
    /// PROTOCOL.md §5, one line of `--format jsonl`.
    static func json(_ r: Reading) -> String {
        r.json().string
    }

    static let tableHeader = pad("TIME (UTC)", 25) + pad("DEVICE", 18) + pad("STREAM", 8) + pad("SEQ", 8) + pad("RESIDENT", 14) + "VALUES"

    static func tableRow(_ r: Reading) -> String {
        pad(TimeFormat.iso(r.ts), 25) + pad(r.source.device, 18) + pad(r.stream.name, 8) + pad(String(r.seq), 8)
            + pad(r.resident ?? "-", 14) + summary(r.value)
            + (r.notes.isEmpty ? "" : " [" + r.notes.map(\.word).joined(separator: ", ") + "]")
    }

    static func summary(_ value: ReadingValue) -> String {
        switch value {
        case .bloodPressure(let bp):
            "\(number(bp.systolic))/\(number(bp.diastolic)) mmHg" + (bp.pulse.map { " pulse \(number($0))/min" } ?? "")
        case .glucose(let g): "\(number(g.mgdl)) mg/dL" + (g.context.map { " \($0.rawValue)" } ?? "")
        case .ecg(let c): "\(c.samples.count) samples at \(c.hz) Hz, lead \(c.lead)"
        case .sos(let call): call.cancel ? "cancelled (\(call.cause.rawValue))" : "emergency call: \(call.cause.rawValue)"
        case .status(let s): [s.battery.map { "battery \(number($0)) %" }, s.rssi.map { "rssi \(number($0)) dBm" }]
            .compactMap { $0 }.joined(separator: ", ")
        }
    }

    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}

/// How `caregate query readings --stream beat|hr` shows a detected beat.
enum BeatFormat {
    static func json(_ b: StoredBeat, heartRate: Bool) -> String {
        var json = JSONWriter(capacity: 128)
        json.object { o in
            o.field("station", b.source.station)
            o.field("device", b.source.device)
            o.field("stream", heartRate ? "hr" : "beat")
            o.field("resident", b.resident)
            o.field("ts", b.beat.ts)
            if heartRate { o.field("hr", b.beat.heartRate.map { ($0 * 10).rounded() / 10 }) } else { o.field("rr_ms", b.beat.rrMillis) }
        }
        return json.string
    }

    static func tableHeader(heartRate: Bool) -> String {
        pad("TIME (UTC)", 25) + pad("DEVICE", 18) + pad("RESIDENT", 14) + (heartRate ? "HEART RATE" : "RR")
    }

    static func tableRow(_ b: StoredBeat, heartRate: Bool) -> String {
        pad(TimeFormat.iso(b.beat.ts), 25) + pad(b.source.device, 18) + pad(b.resident ?? "-", 14)
            + (heartRate ? b.beat.heartRate.map { String(format: "%.1f /min", $0) } ?? "-" : b.beat.rrMillis.map { "\($0) ms" } ?? "-")
    }
}

/// How `caregate query alerts` shows an event in a table.
enum AlertFormat {
    static let tableHeader = pad("AT (UTC)", 25) + pad("EVENT", 13) + pad("PRIORITY", 9) + pad("RULE", 18) + pad("DEVICE", 18) + pad("RESIDENT", 14) + "ALERT"

    static func tableRow(json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return json }
        let at = (object["at"] as? NSNumber)?.int64Value ?? 0
        func s(_ key: String) -> String { object[key] as? String ?? "-" }
        return pad(TimeFormat.iso(at), 25) + pad(s("event"), 13) + pad(s("priority"), 9) + pad(s("rule"), 18)
            + pad(s("device"), 18) + pad(s("resident"), 14) + s("id")
    }
}

/// How `caregate alerts list` shows the board.
enum BoardFormat {
    static let tableHeader = pad("PRIORITY", 9) + pad("RESIDENT", 14) + pad("RULE", 18) + pad("VALUE", 30) + pad("AGE", 9)
        + pad("TIER", 5) + pad("STATE", 28) + pad("DEVICE", 24) + "ID"

    static func state(_ e: BoardEntry) -> String {
        switch (e.resolved, e.acknowledgedBy) {
        case (_, let by?): "acknowledged by \(by)"
        case (true, nil): "resolved, awaiting ack"
        case (false, nil): "active"
        }
    }

    static func age(_ ms: Int64) -> String {
        let s = max(0, ms / 1000)
        return s < 120 ? "\(s)s" : s < 7200 ? "\(s / 60)m" : s < 172_800 ? "\(s / 3600)h" : "\(s / 86400)d"
    }

    static func tableRow(_ e: BoardEntry, now: Int64) -> String {
        let a = e.latest
        return pad(a.priority.name, 9) + pad(a.resident ?? "-", 14) + pad(a.rule, 18)
            + pad(a.value.map(ReadingFormat.summary) ?? "-", 30) + pad(age(now - e.raisedAt), 9) + pad(String(e.tier), 5)
            + pad(state(e), 28) + pad(a.source.description, 24) + a.alertID
    }

    static func json(_ e: BoardEntry, now: Int64) -> String {
        let a = e.latest
        var json = JSONWriter()
        json.object { o in
            o.field("id", a.alertID)
            o.field("rule", a.rule)
            o.field("priority", a.priority.name)
            o.field("station", a.source.station)
            o.field("device", a.source.device)
            o.field("stream", a.stream.name)
            o.field("resident", a.resident)
            o.key("value")
            if let value = a.value { o.object { value.writeFields(into: &$0) } } else { o.value(nil as String?) }
            o.field("count", a.count)
            o.field("raised_at", e.raisedAt)
            o.field("age_s", max(0, now - e.raisedAt) / 1000)
            o.field("tier", e.tier)
            o.field("state", e.resolved && e.acknowledgedBy == nil ? "resolved" : e.acknowledgedBy == nil ? "active" : "acknowledged")
            o.field("acknowledged_by", e.acknowledgedBy)
        }
        return json.string
    }
}
