import Foundation
import Telemetry
import Testing

/// The §3 wire format of an alert event.
@Suite struct AlertJSONTests {
    @Test func eventHasEveryFieldOfTheContract() throws {
        let event = AlertEvent(alertID: "a-1", number: 2, kind: .updated, rule: "bp.crisis", priority: .high,
                               source: bedside, stream: .bp, resident: nil,
                               value: bp(190, 112, pulse: 80), readingTS: t0, readingSeq: 17, at: t0 + 3, count: 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.json().bytes)) as? [String: Any])
        #expect(Set(object.keys) == ["id", "event", "rule", "priority", "station", "device", "stream", "resident", "value",
                                     "reading_ts", "reading_seq", "at", "count", "by", "tier"])
        #expect(object["id"] as? String == "a-1")
        #expect(object["event"] as? String == "updated")
        #expect(object["priority"] as? String == "high")
        #expect(object["resident"] is NSNull)
        #expect(object["reading_ts"] as? Int64 == t0)
        let value = try #require(object["value"] as? [String: Any])
        #expect(value["systolic"] as? Double == 190)
        #expect(value["diastolic"] as? Double == 112)
        #expect(value["pulse"] as? Double == 80)
    }

    @Test func stringsAreEscaped() throws {
        var json = JSONWriter()
        json.object { $0.field("s", "a\"b\\c\n\u{1}王") }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(object["s"] as? String == "a\"b\\c\n\u{1}王")
    }
}
