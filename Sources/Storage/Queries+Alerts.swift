import Telemetry

/// An alert on the stored board.
public struct BoardEntry: Sendable, Equatable {
    public var raisedAt: Int64
    /// Its latest `raised` or `updated` event: the rule, priority and value that stand.
    public var latest: AlertEvent
    /// The on-call tier asked last (1 until it escalates).
    public var tier: Int
    public var acknowledgedBy: String?
    /// The condition has cleared; the alert waits, latched, for an acknowledgement.
    public var resolved: Bool
}

extension StoreReader {
    private static let eventColumns = """
        e.alert_id, e.n, e.event, e.rule, e.priority, e.station, e.device, e.stream, e.resident, e.reading_ts,
        e.reading_seq, e.at, e.by, e.tier, e.json ->> '$.count', e.json ->> '$.value' IS NULL,
        e.json ->> '$.value.systolic', e.json ->> '$.value.diastolic', e.json ->> '$.value.pulse',
        e.json ->> '$.value.mg_dl', e.json ->> '$.value.context', e.json ->> '$.value.cause',
        e.json ->> '$.value.cancel', e.json ->> '$.value.battery', e.json ->> '$.value.rssi'
        """

    /// Every event of the alerts open when the gateway stopped, one list per alert in event
    /// order: what the engine restores.
    public func openAlertHistories() throws(SQLiteError) -> [[AlertEvent]] {
        let s = try db.prepare("""
            SELECT \(Self.eventColumns) FROM open_alerts o JOIN alert_events e USING (alert_id)
            ORDER BY o.raised_at, e.alert_id, e.n
            """)
        var histories: [[AlertEvent]] = []
        while try s.step() {
            let event = Self.alertEvent(s)
            if histories.last?.first?.alertID == event.alertID {
                histories[histories.count - 1].append(event)
            } else {
                histories.append([event])
            }
        }
        return histories
    }

    /// The board: open alerts with their latest event, oldest first.
    public func board() throws(SQLiteError) -> [BoardEntry] {
        let s = try db.prepare("""
            SELECT \(Self.eventColumns), o.raised_at,
                   (SELECT max(tier) FROM alert_events WHERE alert_id = o.alert_id AND event = 'escalated'),
                   (SELECT by FROM alert_events WHERE alert_id = o.alert_id AND event = 'acknowledged'),
                   (SELECT event FROM alert_events WHERE alert_id = o.alert_id AND event IN ('raised', 'updated', 'resolved')
                    ORDER BY n DESC LIMIT 1) = 'resolved'
            FROM open_alerts o JOIN alert_events e USING (alert_id)
            WHERE e.n = (SELECT max(n) FROM alert_events WHERE alert_id = o.alert_id AND event IN ('raised', 'updated'))
            ORDER BY o.raised_at, o.alert_id
            """)
        var entries: [BoardEntry] = []
        while try s.step() {
            entries.append(BoardEntry(raisedAt: s.int64(25), latest: Self.alertEvent(s), tier: s.isNull(26) ? 1 : Int(s.int64(26)),
                                      acknowledgedBy: s.string(27), resolved: s.int64(28) != 0))
        }
        return entries
    }

    /// All events of one alert in order; empty when no alert has this id.
    public func alertHistory(id: String) throws(SQLiteError) -> [AlertEvent] {
        let s = try db.prepare("SELECT \(Self.eventColumns) FROM alert_events e WHERE e.alert_id = ?1 ORDER BY e.n")
        s.bind(1, id)
        var events: [AlertEvent] = []
        while try s.step() { events.append(Self.alertEvent(s)) }
        return events
    }

    /// Whether alert `id` is on the board (raised and not closed).
    public func isOpen(id: String) throws(SQLiteError) -> Bool {
        let s = try db.prepare("SELECT 1 FROM open_alerts WHERE alert_id = ?1")
        s.bind(1, id)
        return try s.step()
    }

    private static func alertEvent(_ s: Statement) -> AlertEvent {
        let stream = StreamKind(name: s.string(7) ?? "") ?? .status
        var value: ReadingValue?
        if s.int64(15) == 0 {
            switch stream {
            case .bp: value = .bloodPressure(BloodPressure(systolic: s.double(16), diastolic: s.double(17), pulse: s.optionalDouble(18)))
            case .glucose: value = .glucose(Glucose(mgdl: s.double(19), context: s.string(20).flatMap(GlucoseContext.init(rawValue:))))
            case .sos: value = .sos(EmergencyCall(cause: s.string(21).flatMap(EmergencyCause.init(rawValue:)) ?? .other, cancel: s.int64(22) != 0))
            case .status: value = .status(DeviceStatus(battery: s.optionalDouble(23), rssi: s.optionalDouble(24)))
            case .ecg: value = nil
            }
        }
        return AlertEvent(
            alertID: s.string(0) ?? "", number: Int(s.int64(1)), kind: AlertEventKind(rawValue: s.string(2) ?? "") ?? .updated,
            rule: s.string(3) ?? "", priority: Priority(name: s.string(4) ?? "") ?? .high,
            source: DeviceAddress(station: s.string(5) ?? "", device: s.string(6) ?? ""), stream: stream,
            resident: s.string(8), value: value,
            readingTS: s.isNull(9) ? nil : s.int64(9), readingSeq: s.isNull(10) ? nil : s.int64(10), at: s.int64(11),
            count: Int(s.int64(14)), by: s.string(12), tier: s.isNull(13) ? nil : Int(s.int64(13)))
    }
}
