import CaregateTesting
import Foundation
import Testing

/// PROTOCOL.md §4: every kind of bad input is quarantined with its reason while the gateway keeps ingesting.
@Suite struct BadInputTests {
    static let bad: [(topic: String, payload: [UInt8], kind: String)] = [
        ("care/st01/bad device!/bp", Array(payload(ts: t0, seq: 1, #""systolic":120,"diastolic":80"#).utf8), "bad_topic"),
        ("care/st01/alerts/oops", Array("{}".utf8), "bad_topic"),
        ("care/st01/dev-1/temperature", Array(payload(ts: t0, seq: 1, #""celsius":36.6"#).utf8), "unknown_stream"),
        ("care/st01/dev-1/bp", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], "not_utf8"),
        ("care/st01/dev-1/bp", Array("{\"ts\":".utf8), "not_json"),
        ("care/st01/dev-1/bp", Array("[1,2,3]".utf8), "not_object"),
        ("care/st01/dev-1/bp", Array(#"{"ts":1732262400000,"seq":1,"seq":2,"systolic":120,"diastolic":80}"#.utf8), "duplicate_key"),
        ("care/st01/dev-1/bp", Array(payload(ts: t0, seq: 1, #""diastolic":80"#).utf8), "missing_field"),
        ("care/st01/dev-1/bp", Array(payload(ts: t0, seq: 1, #""systolic":"high","diastolic":80"#).utf8), "wrong_type"),
        ("care/st01/dev-1/bp", Array(payload(ts: t0, seq: 1, #""systolic":400,"diastolic":80"#).utf8), "out_of_range"),
        ("care/st01/dev-1/bp", Array(payload(ts: t0, seq: 1, #""systolic":NaN,"diastolic":80"#).utf8), "not_finite"),
        ("care/st01/dev-1/bp", Array(payload(ts: t0, seq: 1, #""x":[[[[[[[[1]]]]]]]],"systolic":120,"diastolic":80"#).utf8), "too_deep"),
        ("care/st01/dev-1/bp", Array(payload(ts: t0, seq: 1, "\"pad\":\"\(String(repeating: "x", count: 70_000))\"").utf8), "too_large"),
    ]

    @Test func everyKindIsQuarantinedAndGoodReadingsAroundItAreStored() throws {
        let station = try Station()
        let gateway = try station.startGateway()
        let device = try TestPublisher(broker: station.broker.url)
        for (i, message) in Self.bad.enumerated() {
            try device.send(message.topic, bytes: message.payload)
            try device.send("care/st01/good/glucose", payload(ts: t0 + Int64(i) * 1000, seq: Int64(i + 1), #""mg_dl":100"#))
        }
        let good = station.waitForReadings(device: "good", count: Self.bad.count)
        let rejected = station.waitForRejections(count: Self.bad.count)
        #expect(good.count == Self.bad.count)
        #expect(rejected.map(\.kind) == Self.bad.map(\.kind))
        #expect(rejected.allSatisfy { $0.reason.hasPrefix($0.kind + ": ") && $0.reason.count > $0.kind.count + 4 })
        #expect(zip(rejected, Self.bad).allSatisfy { $0.topic == $1.topic && $0.payloadSize == $1.payload.count })
        #expect(rejected.last?.payload.count == 65_536)

        let jsonl = try station.query(["rejected", "--format", "jsonl"])
        #expect(jsonl.lines.count == Self.bad.count)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(jsonl.lines[0].utf8)) as? [String: Any])
        #expect(first["topic"] as? String == "care/st01/bad device!/bp")
        #expect((first["reason"] as? String)?.hasPrefix("bad_topic") == true)
        #expect(first["at"] is NSNumber)
        #expect(gateway.process.isRunning)
    }

    @Test func withEveryStationABadStationIdIsQuarantined() throws {
        let station = try Station()
        try station.startGateway(extra: ["--station", "+"])
        let device = try TestPublisher(broker: station.broker.url)
        try device.send("care/ST01/dev-1/bp", payload(ts: t0, seq: 1, #""systolic":120,"diastolic":80"#))
        try device.send("care/st01/dev-1/bp", payload(ts: t0, seq: 1, #""systolic":120,"diastolic":80"#))
        #expect(station.waitForRejections(count: 1).map(\.kind) == ["bad_topic"])
        #expect(station.waitForReadings(device: "dev-1", count: 1).count == 1)
    }

    @Test func aBrokenDeviceDoesNotFloodTheLog() throws {
        let station = try Station()
        let gateway = try station.startGateway()
        let device = try TestPublisher(broker: station.broker.url)
        for i in 0..<200 {
            try device.send("care/st01/broken/bp", payload(ts: t0, seq: Int64(i + 1), #""systolic":999,"diastolic":80"#))
        }
        station.waitForRejections(count: 200)
        gateway.terminate()
        let lines = gateway.log.split(separator: "\n").filter { $0.contains("rejected a message from st01/broken") }
        #expect(lines.count == 1)
    }

    @Test func theQuarantineIsCountedByDeviceAndReason() throws {
        let station = try Station()
        let gateway = try station.startGateway()
        let device = try TestPublisher(broker: station.broker.url)
        for i in 0..<5 { try device.send("care/st01/cuff-1/bp", payload(ts: t0, seq: Int64(i + 1), #""systolic":999,"diastolic":80"#)) }
        for _ in 0..<2 { try device.send("care/st01/cuff-1/bp", "{\"ts\":") }
        try device.send("care/st01/meter-2/gatt/2A18", bytes: [0x02, 0x01])
        try device.send("care/st01/meter-2/glucose", "{\"ts\":")
        station.waitForRejections(count: 9)

        func groups(_ by: String) throws -> [[String: Any]] {
            try station.query(["rejected", "--group-by", by, "--format", "jsonl"]).lines
                .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        }
        let both = try groups("device,reason")
        #expect(both.map { "\($0["device"] ?? "")|\($0["kind"] ?? "")|\($0["count"] ?? "")" } == [
            "st01/cuff-1|out_of_range|5", "st01/cuff-1|not_json|2", "st01/meter-2|not_json|1", "st01/meter-2|truncated|1",
        ])
        #expect((both[0]["reason"] as? String)?.hasPrefix("out_of_range: systolic must be 20–300 mmHg") == true)
        #expect(try groups("device").map { "\($0["device"] ?? "")|\($0["count"] ?? "")" } == ["st01/cuff-1|7", "st01/meter-2|2"])
        #expect(try groups("reason").map { "\($0["kind"] ?? "")|\($0["count"] ?? "")" } == ["out_of_range|5", "not_json|3", "truncated|1"])
        let table = try station.query(["rejected", "--group-by", "device,reason"])
        #expect(table.lines.first?.hasPrefix("DEVICE") == true && table.lines.count == 5)
        #expect(try station.query(["rejected", "--group-by", "resident"]).status == 2)

        // The metric per reason, in the summary the gateway logs when it stops.
        gateway.terminate()
        #expect(gateway.log.contains("rejected 9 (not_json 3, out_of_range 5, truncated 1)"), "\(gateway.log)")
    }
}
