import AlertEngine
import Storage
import Telemetry

/// The CSV form of a registry file, as a spreadsheet exports it (UTF-8, RFC 4180 quoting): a
/// header row, then one resident a row. Columns, in any order:
///
///     id, name, station            required
///     born                         YYYY-MM-DD
///     care_team, identifiers       several separated by ';'
///     contacts                     'name/relation/phone', several separated by ';'
///     devices                      the resident's personal devices (DEVICE or STATION/DEVICE), ';'
///     from                         when those devices became theirs (default: the import)
///     RULE (e.g. bp.high)          that rule's limits for the resident, e.g. 'systolic >= 150; diastolic >= 95'
enum RegistryCSV {
    static let columns: Set<String> = ["id", "name", "station", "born", "care_team", "identifiers", "contacts", "devices", "from"]

    static func parse(_ text: String, path: String, rules book: RuleBook) throws(ConfigurationError) -> [RegistryEntry] {
        var records = try records(text, path: path)
        guard !records.isEmpty else { throw ConfigurationError("\(path):1: the file is empty; the first row names the columns") }
        let header = records.removeFirst().fields.map { $0.trimmingSpaces }
        for (i, name) in header.enumerated() {
            guard columns.contains(name) || book.rule(name) != nil else {
                throw ConfigurationError("\(path):1: unknown column '\(name)'; columns are \(columns.sorted().joined(separator: ", ")) and rule ids such as bp.high")
            }
            guard !header[..<i].contains(name) else { throw ConfigurationError("\(path):1: column '\(name)' is there twice") }
        }
        for required in ["id", "name", "station"] where !header.contains(required) {
            throw ConfigurationError("\(path):1: the header needs an '\(required)' column")
        }
        var checker = RegistryChecker(path: path, rules: book)
        for record in records where !record.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) {
            guard record.fields.count == header.count else {
                throw checker.error(record.line, "\(record.fields.count) fields where the header has \(header.count)")
            }
            var row: [String: String] = [:]
            for (name, value) in zip(header, record.fields) where !value.trimmingSpaces.isEmpty { row[name] = value.trimmingSpaces }
            var draft = RegistryChecker.Draft(id: row["id"], name: row["name"], station: row["station"], born: row["born"],
                                              careTeam: list(row["care_team"]), identifiers: list(row["identifiers"]))
            for text in list(row["contacts"]) {
                let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
                guard parts.count == 3 else { throw checker.error(record.line, "contact '\(text)': write name/relation/phone") }
                draft.contacts.append(Contact(name: parts[0], relation: parts[1], phone: parts[2]))
            }
            for name in header where !columns.contains(name) {
                if let conditions = row[name] { draft.limits[name] = list(conditions) }
            }
            try checker.add(draft, line: record.line)
            for device in list(row["devices"]) {
                try checker.add(RegistryChecker.DeviceDraft(id: device, station: device.contains("/") ? nil : row["station"],
                                                            resident: row["id"], from: row["from"]), line: record.line)
            }
        }
        return checker.entries
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// RFC 4180 records, each with the line it starts on. A UTF-8 byte order mark is skipped.
    static func records(_ text: String, path: String) throws(ConfigurationError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var start = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            if quoted {
                if c == "\"" {
                    if i < chars.count && chars[i] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r" where i < chars.count && chars[i] == "\n":
                continue
            case "\n", "\r":
                fields.append(field)
                records.append((start, fields))
                fields = []
                field = ""
                afterQuote = false
                line += 1
                start = line
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
            default:
                if afterQuote || c == "\"" {
                    throw ConfigurationError("\(path):\(line): a quote in the middle of a field; quote the whole field and double the quotes inside")
                }
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw ConfigurationError("\(path):\(start): a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append((start, fields))
        }
        return records
    }
}
