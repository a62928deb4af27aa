import Storage
import Telemetry
import Testing

@Suite struct AlertBoardTests {
    func write(_ items: [StoreItem], to path: String) throws {
        let writer = try StoreWriter(path: path, options: .init(batchRows: 2, commitIntervalMillis: 5))
        for item in items { writer.submit(item) }
        writer.flush()
        writer.close()
    }

    func event(_ id: String, _ n: Int, _ kind: AlertEventKind, value: ReadingValue? = nil, by: String? = nil, tier: Int? = nil,
               closes: Bool = false, cause: AlertCause = .reading) -> StoreItem {
        let e = AlertEvent(alertID: id, number: n, kind: kind, rule: "bp.crisis", priority: .high, source: device, stream: .bp,
                           resident: "r-1", value: value, readingTS: value == nil ? nil : t0 + Int64(n), readingSeq: value == nil ? nil : Int64(n),
                           at: t0 + Int64(n) * 1000, count: n, by: by, tier: tier, closes: closes)
        return .alertEvent(json: e.json().string, number: n, cause: cause, closes: closes)
    }

    let crisis = ReadingValue.bloodPressure(BloodPressure(systolic: 190, diastolic: 95, pulse: 80))

    @Test func theBoardFollowsTheEventsAndAClosingEventTakesTheAlertOff() throws {
        let path = temporaryPath("board.db")
        try write([
            event("a-1", 1, .raised, value: crisis),
            event("a-2", 1, .raised, value: crisis),
            event("a-1", 2, .escalated, tier: 2, cause: .timer),
            event("a-1", 3, .resolved, value: .bloodPressure(BloodPressure(systolic: 120, diastolic: 80))),
            event("a-2", 2, .resolved, value: .bloodPressure(BloodPressure(systolic: 120, diastolic: 80))),
            event("a-2", 3, .acknowledged, by: "li-na", closes: true, cause: .person),
        ], to: path)
        let reader = try StoreReader(path: path)
        let board = try reader.board()
        #expect(board.map(\.latest.alertID) == ["a-1"])
        #expect(board[0].tier == 2)
        #expect(board[0].resolved)
        #expect(board[0].acknowledgedBy == nil)
        #expect(board[0].latest.value == crisis)
        #expect(board[0].raisedAt == t0 + 1000)
        #expect(try reader.isOpen(id: "a-1"))
        #expect(try !reader.isOpen(id: "a-2"))

        let histories = try reader.openAlertHistories()
        #expect(histories.map { $0.map(\.kind) } == [[.raised, .escalated, .resolved]])
        #expect(histories[0][0].value == crisis)
        #expect(histories[0][1].tier == 2)
        #expect(histories[0][1].value == nil)
        #expect(try reader.alertHistory(id: "a-2").map(\.by) == [nil, nil, "li-na"])
        #expect(try reader.alertHistory(id: "nope").isEmpty)
    }

    @Test func everyEventKeepsItsCause() throws {
        let path = temporaryPath("cause.db")
        try write([
            event("a-1", 1, .raised, value: crisis),
            event("a-1", 2, .escalated, tier: 2, cause: .timer),
            event("a-1", 3, .acknowledged, by: "li-na", cause: .person),
        ], to: path)
        let db = try Database(path: path, readOnly: true)
        let s = try db.prepare("SELECT cause, by FROM alert_events ORDER BY n")
        var causes: [String] = []
        while try s.step() { causes.append("\(s.string(0) ?? "-") \(s.string(1) ?? "-")") }
        #expect(causes == ["reading -", "timer -", "person li-na"])
    }

    @Test func recentReadingsAndLastHeardForTheRestart() throws {
        let path = temporaryPath("recent.db")
        var items: [StoreItem] = []
        for seq in 1...20 {
            let value = ReadingValue.glucose(Glucose(mgdl: Double(100 + seq)))
            items.append(.reading(Reading(source: device, ts: t0 + Int64(seq) * 60_000, seq: Int64(seq), value: value), receivedAt: t0 + Int64(seq)))
        }
        items.append(.reading(Reading(source: device, ts: t0, seq: 1, value: .status(DeviceStatus(battery: 80))), receivedAt: t0 + 99))
        try write(items, to: path)
        let reader = try StoreReader(path: path)
        // The last 8, and every one within 15 min of the newest (ts 20 min): seq 5...20.
        let recent = try reader.recentReadings(count: 8, windowMillis: 15 * 60_000).filter { $0.stream == .glucose }
        #expect(recent.map(\.seq) == Array(5...20))
        #expect(try reader.recentReadings(count: 3, windowMillis: 0).filter { $0.stream == .glucose }.map(\.seq) == [18, 19, 20])
        let heard = try reader.lastHeard().sorted { $0.at < $1.at }
        #expect(heard.map(\.at) == [t0 + 20, t0 + 99])
    }

    /// The gateway stores the events it emits from their fields, the spool's replay from their
    /// JSON alone: both must give the same rows, to the type of every column.
    @Test func anEventStoredFromItsFieldsGivesTheRowItsJSONGives() throws {
        func make(_ id: String, _ n: Int, _ kind: AlertEventKind, resident: String?, value: ReadingValue?, by: String? = nil,
                  tier: Int? = nil, closes: Bool = false) -> AlertEvent {
            AlertEvent(alertID: id, number: n, kind: kind, rule: "bp.crisis", priority: n == 1 ? .high : .medium, source: device,
                       stream: .bp, resident: resident, value: value, readingTS: value == nil ? nil : t0 + Int64(n),
                       readingSeq: value == nil ? nil : Int64(n), at: t0 + Int64(n) * 1000, count: n, by: by, tier: tier, closes: closes)
        }
        let events = [
            make("a-1", 1, .raised, resident: "r-1", value: crisis),
            make("a-2", 1, .raised, resident: nil, value: crisis),
            make("a-1", 2, .escalated, resident: "r-1", value: nil, tier: 2),
            make("a-1", 3, .acknowledged, resident: "r-1", value: nil, by: "李娜 \"night\" \\ 护士"),
            make("a-1", 4, .resolved, resident: "r-1", value: .bloodPressure(BloodPressure(systolic: 120, diastolic: 80)), closes: true),
        ]
        let fromFields = temporaryPath("fields.db")
        let fromJSON = temporaryPath("json.db")
        try write(events.map { .alert($0, json: $0.json().string, cause: $0.by == nil ? .reading : .person) }, to: fromFields)
        try write(events.map { .alertEvent(json: $0.json().string, number: $0.number, cause: $0.by == nil ? .reading : .person,
                                           closes: $0.closes) }, to: fromJSON)
        func rows(_ path: String, _ sql: String) throws -> [String] {
            let s = try Database(path: path).prepare(sql)
            var rows: [String] = []
            while try s.step() { rows.append(s.string(0) ?? "") }
            return rows
        }
        let columns = ["alert_id", "n", "event", "rule", "priority", "station", "device", "stream", "resident", "reading_ts",
                       "reading_seq", "at", "by", "tier", "json", "cause"]
        // quote() tells 1 from '1' and NULL from ''.
        let eventRows = "SELECT " + columns.map { "quote(\($0))" }.joined(separator: " || '|' || ") + " FROM alert_events ORDER BY alert_id, n"
        let boardRows = "SELECT quote(alert_id) || '|' || quote(raised_at) || '|' || quote(json) FROM open_alerts ORDER BY alert_id"
        let stored = try rows(fromFields, eventRows)
        #expect(stored.count == events.count)
        #expect(stored == (try rows(fromJSON, eventRows)))
        #expect(try rows(fromFields, boardRows) == (try rows(fromJSON, boardRows)))
        #expect(try rows(fromFields, boardRows).count == 1)
    }
}
