import CaregateTesting
import Foundation
import Testing

/// A device's message becomes a stored, queryable reading: through the real broker and binary.
@Suite(.serialized) struct IngestTests {
    @Test func everyStreamIsStoredAndQueryableWithExactValues() throws {
        let station = try Station()
        try station.startGateway()
        let device = try TestPublisher(broker: station.broker.url)
        let samples = (0..<25).map { String(($0 * 37) % 200 - 100) }.joined(separator: ",")
        let messages: [(String, String)] = [
            ("care/st01/dev-9/bp", payload(ts: t0, seq: 1, #""systolic":142,"diastolic":91,"pulse":78"#)),
            ("care/st01/dev-9/bp", payload(ts: t0 + 1000, seq: 2, #""systolic":18.9,"diastolic":11,"unit":"kPa""#)),
            ("care/st01/dev-9/glucose", payload(ts: t0 + 2000, seq: 1, #""mmol_l":5.5,"context":"fasting""#)),
            ("care/st01/dev-9/glucose", payload(ts: t0 + 3000, seq: 2, #""mg_dl":99.5,"resident":"r-0042""#)),
            ("care/st01/dev-9/ecg", payload(ts: t0 + 4000, seq: 1, #""hz":250,"lead":"II","uv_per_lsb":5,"samples":[\#(samples)]"#)),
            ("care/st01/dev-9/sos", payload(ts: t0 + 5000, seq: 1, #""cause":"pull_cord","cancel":true"#)),
            ("care/st01/dev-9/status", payload(ts: t0 + 6000, seq: 1, #""battery":87,"rssi":-61"#)),
        ]
        for (topic, body) in messages { try device.send(topic, body) }
        station.waitForReadings(device: "dev-9", count: messages.count)

        let result = try station.query(["readings", "--device", "dev-9", "--format", "jsonl"])
        #expect(result.status == 0)
        #expect(result.lines == [
            #"{"station":"st01","device":"dev-9","stream":"bp","resident":null,"ts":1732262400000,"seq":1,"systolic":142,"diastolic":91,"pulse":78}"#,
            #"{"station":"st01","device":"dev-9","stream":"bp","resident":null,"ts":1732262401000,"seq":2,"systolic":141.762,"diastolic":82.507,"pulse":null}"#,
            #"{"station":"st01","device":"dev-9","stream":"glucose","resident":null,"ts":1732262402000,"seq":1,"mg_dl":99.088,"context":"fasting"}"#,
            #"{"station":"st01","device":"dev-9","stream":"glucose","resident":"r-0042","ts":1732262403000,"seq":2,"mg_dl":99.5,"context":null}"#,
            #"{"station":"st01","device":"dev-9","stream":"ecg","resident":null,"ts":1732262404000,"seq":1,"hz":250,"lead":"II","uv_per_lsb":5,"samples":[\#(samples)]}"#,
            #"{"station":"st01","device":"dev-9","stream":"sos","resident":null,"ts":1732262405000,"seq":1,"cause":"pull_cord","cancel":true}"#,
            #"{"station":"st01","device":"dev-9","stream":"status","resident":null,"ts":1732262406000,"seq":1,"battery":87,"rssi":-61}"#,
        ])

        let window = try station.query(["readings", "--device", "dev-9", "--stream", "glucose", "--from", "\(t0 + 2000)", "--to", "\(t0 + 3000)", "--format", "jsonl"])
        #expect(window.lines.count == 1)
        #expect(window.lines.first?.contains("\"seq\":1") == true)
    }

    @Test func aRedeliveredMessageIsStoredOnceAndASeqRestartIsKept() throws {
        let station = try Station()
        try station.startGateway()
        let device = try TestPublisher(broker: station.broker.url)
        let first = payload(ts: t0, seq: 7, #""mg_dl":120"#)
        try device.send("care/st01/cgm-1/glucose", first)
        try device.send("care/st01/cgm-1/glucose", first)
        try device.send("care/st01/cgm-1/glucose", payload(ts: t0 + 300_000, seq: 1, #""mg_dl":121"#))
        try device.send("care/st01/cgm-1/glucose", payload(ts: t0 + 600_000, seq: 2, #""mg_dl":122"#))
        let rows = station.waitForReadings(device: "cgm-1", count: 3)
        try device.waitUntilDelivered()
        station.gateway?.terminate()
        #expect(rows.map(\.reading.seq) == [7, 1, 2])
        #expect(try station.query(["readings", "--device", "cgm-1", "--format", "jsonl"]).lines.count == 3)
    }

    @Test func severalStationsOrEveryStation() throws {
        let station = try Station()
        try station.startGateway(extra: ["--station", "st01,st02"])
        let device = try TestPublisher(broker: station.broker.url)
        for s in ["st01", "st02", "st03"] {
            try device.send("care/\(s)/kiosk/bp", payload(ts: t0, seq: 1, #""systolic":120,"diastolic":80"#))
        }
        let rows = station.waitForReadings(device: "kiosk", count: 2)
        station.gateway?.terminate()
        #expect(Set(rows.map(\.reading.source.station)) == ["st01", "st02"])

        try station.startGateway(extra: ["--station", "+"])
        try device.send("care/st09/kiosk/bp", payload(ts: t0, seq: 1, #""systolic":120,"diastolic":80"#))
        #expect(station.waitForReadings(device: "kiosk", count: 3).contains { $0.reading.source.station == "st09" })
    }
}
