import CSQLite
import Foundation
import Storage
import Telemetry
import Testing

func temporaryPath(_ name: String) -> String {
    let dir = NSTemporaryDirectory() + "caregate-storage-\(getpid())-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return "\(dir)/\(name)"
}

let device = DeviceAddress(station: "st01", device: "dev-1")
let t0: Int64 = 1_732_262_400_000

@Suite struct StoreTests {
    func write(_ items: [StoreItem], to path: String) throws {
        let writer = try StoreWriter(path: path, options: .init(batchRows: 3, commitIntervalMillis: 5))
        for item in items { writer.submit(item) }
        writer.flush()
        writer.close()
    }

    @Test func everyStreamRoundTripsExactly() throws {
        let path = temporaryPath("store.db")
        let readings: [Reading] = [
            Reading(source: device, ts: t0, seq: 1, value: .bloodPressure(BloodPressure(systolic: 142, diastolic: 91, pulse: 78))),
            Reading(source: device, ts: t0 + 1, seq: 1, resident: "r-7", value: .glucose(Glucose(mgdl: 65.5, context: .fasting))),
            Reading(source: device, ts: t0 + 2, seq: 1, value: .ecg(ECGChunk(hz: 250, lead: "II", microvoltsPerLSB: 5, samples: [0, -32768, 32767, 12, -15]))),
            Reading(source: device, ts: t0 + 3, seq: 1, value: .sos(EmergencyCall(cause: .pull_cord, cancel: true))),
            Reading(source: device, ts: t0 + 4, seq: 1, value: .status(DeviceStatus(battery: 87, rssi: -61.5))),
            Reading(source: device, ts: t0 + 5, seq: 2, value: .status(DeviceStatus())),
        ]
        try write(readings.map { .reading($0, receivedAt: t0 + 9) }, to: path)
        let stored = try StoreReader(path: path).readings(device: "dev-1")
        #expect(stored.map(\.reading) == readings)
        #expect(stored.allSatisfy { $0.receivedAt == t0 + 9 })
    }

    @Test func duplicatesAreStoredOnceButARebootIsNotADuplicate() throws {
        let path = temporaryPath("dup.db")
        let a = Reading(source: device, ts: t0, seq: 5, value: .glucose(Glucose(mgdl: 100)))
        let b = Reading(source: device, ts: t0 + 60_000, seq: 1, value: .glucose(Glucose(mgdl: 101)))
        try write([.reading(a, receivedAt: 1), .reading(a, receivedAt: 2), .reading(b, receivedAt: 3)], to: path)
        let stored = try StoreReader(path: path).readings(device: "dev-1", stream: .glucose)
        #expect(stored.map(\.reading) == [a, b])
    }

    /// The writer inserts a batch's readings grouped by series: every reading of interleaved
    /// devices still arrives, an alert event among them is stored too, and of two duplicates in
    /// one batch the first is the one stored.
    @Test func aBatchOfInterleavedDevicesIsStoredWholeAndKeepsTheFirstDuplicate() throws {
        let path = temporaryPath("grouped.db")
        let devices = (1...3).map { DeviceAddress(station: "st01", device: "dev-\($0)") }
        // One batch: nothing commits until the flush.
        let writer = try StoreWriter(path: path, options: .init(batchRows: 10_000, commitIntervalMillis: 60_000))
        var expected: [String: [(reading: Reading, receivedAt: Int64)]] = [:]
        for i in 0..<30 {
            let source = devices[i % 3]
            let reading = Reading(source: source, ts: t0 + Int64(i) * 1000, seq: Int64(i / 3 + 1),
                                  value: .glucose(Glucose(mgdl: 100 + Double(i))))
            writer.submit(.reading(reading, receivedAt: Int64(i)))
            expected[source.device, default: []].append((reading, Int64(i)))
            if i == 10 {
                let event = AlertEvent(alertID: "a-1", number: 1, kind: .raised, rule: "glucose.low", priority: .high,
                                       source: source, stream: .glucose, resident: nil, value: reading.value,
                                       readingTS: reading.ts, readingSeq: reading.seq, at: t0 + 1, count: 1)
                writer.submit(.alertEvent(json: event.json().string, number: 1, cause: .reading, closes: false))
            }
        }
        // dev-2's second reading again, with other values: a duplicate, to be ignored.
        var again = expected["dev-2"]![1].reading
        again.value = .glucose(Glucose(mgdl: 399))
        writer.submit(.reading(again, receivedAt: 99))
        writer.flush()
        writer.close()

        let reader = try StoreReader(path: path)
        for source in devices {
            let stored = try reader.readings(device: source.device, stream: .glucose)
            #expect(stored.map(\.reading) == expected[source.device]!.map(\.reading))
            #expect(stored.map(\.receivedAt) == expected[source.device]!.map(\.receivedAt))
        }
        #expect(try reader.alertEvents().count == 1)
    }

    /// The writer puts a table's readings 16 to a statement: every table's rows, each column
    /// of every row in a statement, come back exactly, and of two duplicates in one statement
    /// the first is the one stored.
    @Test func readingsSixteenToAStatementAreStoredExactlyInEveryTable() throws {
        let path = temporaryPath("statements.db")
        let writer = try StoreWriter(path: path, options: .init(batchRows: 10_000, commitIntervalMillis: 60_000))
        let kinds: [(device: String, value: (Int) -> ReadingValue, notes: ReadingNotes)] = [
            ("cuff", { .bloodPressure(BloodPressure(systolic: 100 + Double($0), diastolic: 70, pulse: $0 % 2 == 0 ? 60 : nil)) }, [.irregularPulse]),
            ("meter", { .glucose(Glucose(mgdl: 80 + Double($0), context: $0 % 3 == 0 ? nil : .fasting)) }, []),
            ("patch", { .ecg(ECGChunk(hz: 250, lead: "II", microvoltsPerLSB: 2.5, samples: ECGSamples((0..<($0 + 1)).map { Int16($0 * 7) }))) }, []),
            ("button", { .sos(EmergencyCall(cause: .fall, cancel: $0 % 2 == 1)) }, []),
            ("hub", { .status(DeviceStatus(battery: Double(100 - $0), rssi: $0 % 4 == 0 ? nil : -60)) }, [.timeOfArrival]),
        ]
        var expected: [String: [Reading]] = [:]
        // 20 of each kind, interleaved as a station sends them: one statement of 16 and 4 alone.
        for i in 0..<20 {
            for kind in kinds {
                let reading = Reading(source: DeviceAddress(station: "st01", device: kind.device), ts: t0 + Int64(i) * 1000,
                                      seq: Int64(i + 1), resident: i % 2 == 0 ? "r-\(i)" : nil, value: kind.value(i), notes: kind.notes)
                writer.submit(.reading(reading, receivedAt: t0 + Int64(i)))
                expected[kind.device, default: []].append(reading)
            }
            if i == 5 {
                // The cuff's reading 3 again, other values: in the same statement, and ignored.
                var again = expected["cuff"]![2]
                again.value = .bloodPressure(BloodPressure(systolic: 250, diastolic: 150))
                writer.submit(.reading(again, receivedAt: 0))
            }
        }
        writer.flush()
        writer.close()
        let reader = try StoreReader(path: path)
        for kind in kinds {
            let stored = try reader.readings(device: kind.device)
            #expect(stored.map(\.reading) == expected[kind.device]!, "\(kind.device)")
            #expect(stored.map(\.receivedAt) == (0..<20).map { t0 + Int64($0) }, "\(kind.device)")
        }
    }

    /// SQLite's memory statistics take a process-wide mutex on every allocation; the store turns
    /// them off before its first connection, so they stay at zero through a write.
    @Test func sqliteKeepsNoMemoryStatistics() throws {
        let path = temporaryPath("statistics.db")
        try write([.reading(Reading(source: device, ts: t0, seq: 1, value: .glucose(Glucose(mgdl: 90))), receivedAt: 0)], to: path)
        #expect(try StoreReader(path: path).readings(device: "dev-1").count == 1)
        #expect(sqlite3_memory_used() == 0)
        #expect(sqlite3_memory_highwater(0) == 0)
    }

    @Test func queriesFilterByTimeStreamAndStation() throws {
        let path = temporaryPath("q.db")
        let other = DeviceAddress(station: "st02", device: "dev-1")
        var items: [StoreItem] = []
        for i in 0..<10 {
            items.append(.reading(Reading(source: device, ts: t0 + Int64(i) * 1000, seq: Int64(i + 1),
                                          value: .glucose(Glucose(mgdl: 100 + Double(i)))), receivedAt: 0))
        }
        items.append(.reading(Reading(source: other, ts: t0, seq: 1, value: .glucose(Glucose(mgdl: 99))), receivedAt: 0))
        items.append(.reading(Reading(source: device, ts: t0 + 500, seq: 1, value: .status(DeviceStatus(battery: 50))), receivedAt: 0))
        try write(items, to: path)
        let reader = try StoreReader(path: path)
        let window = try reader.readings(device: "dev-1", station: "st01", stream: .glucose, from: t0 + 2000, to: t0 + 5000)
        #expect(window.map(\.reading.seq) == [3, 4, 5])
        #expect(try reader.readings(device: "dev-1", station: "st02").count == 1)
        let all = try reader.readings(device: "dev-1", station: "st01")
        #expect(all.count == 11)
        #expect(all.map(\.reading.ts) == all.map(\.reading.ts).sorted())
        #expect(all[1].reading.stream == .status)
    }

    @Test func quarantineKeepsATruncatedPayloadAndItsSize() throws {
        let path = temporaryPath("quarantine.db")
        let big = [UInt8](repeating: 0x41, count: 70_000)
        let message = big.withUnsafeBytes {
            QuarantinedMessage(arrival: t0 * 1000, topic: "care/st01/x/bp", kind: "too_large", reason: "too_large: over 65,536 bytes", payload: $0)
        }
        try write([.rejected(message), .rejected(message)], to: path)
        let rows = try StoreReader(path: path).rejections()
        #expect(rows.count == 1)
        #expect(rows[0].payload.count == 65_536)
        #expect(rows[0].payloadSize == 70_000)
        #expect(rows[0].at == t0)
        #expect(rows[0].reason == "too_large: over 65,536 bytes")
    }

    @Test func alertEventsAreStoredFromTheirJSONOnce() throws {
        let path = temporaryPath("alerts.db")
        let event = AlertEvent(alertID: "a-1", number: 1, kind: .raised, rule: "bp.crisis", priority: .high, source: device,
                               stream: .bp, resident: nil, value: .bloodPressure(BloodPressure(systolic: 190, diastolic: 90)),
                               readingTS: t0, readingSeq: 3, at: t0 + 1, count: 1)
        let json = event.json().string
        try write([.alertEvent(json: json, number: 1, cause: .reading, closes: false),
                   .alertEvent(json: json, number: 1, cause: .reading, closes: false)], to: path)
        #expect(try StoreReader(path: path).alertEvents() == [json])
        #expect(try StoreReader(path: path).alertEvents(from: t0 + 2) == [])
    }

    @Test func reopeningKeepsTheSchemaAndTheData() throws {
        let path = temporaryPath("reopen.db")
        let r = Reading(source: device, ts: t0, seq: 1, value: .glucose(Glucose(mgdl: 90)))
        try write([.reading(r, receivedAt: 0)], to: path)
        try write([], to: path)
        #expect(try StoreReader(path: path).readings(device: "dev-1").count == 1)
        #expect(try Database(path: path).userVersion == 7)
    }

    /// Chunks stored raw before migration 5 read back as they were, beside compressed ones.
    @Test func ecgChunksStoredRawBeforeCompressionStillRead() throws {
        let path = temporaryPath("raw-ecg.db")
        let first = Reading(source: device, ts: t0, seq: 1, value: .ecg(ECGChunk(hz: 250, lead: "II", microvoltsPerLSB: 5, samples: [1, 2, 3])))
        try write([.reading(first, receivedAt: 0)], to: path)
        // As the gateway before migration 5 wrote it: little-endian samples, codec 0.
        let db = try Database(path: path)
        try db.execute("UPDATE ecg_chunks SET samples = x'0a00f6ff3412', codec = 0")
        let compressed = Reading(source: device, ts: t0 + 100, seq: 2, value: .ecg(ECGChunk(hz: 250, lead: "II", microvoltsPerLSB: 5, samples: [7, -7, 700])))
        try write([.reading(compressed, receivedAt: 0)], to: path)
        let chunks = try StoreReader(path: path).readings(device: "dev-1").compactMap { r -> [Int16]? in
            if case .ecg(let c) = r.reading.value { Array(c.samples) } else { nil }
        }
        #expect(chunks == [[10, -10, 4660], [7, -7, 700]])
        let codecs = try db.prepare("SELECT codec FROM ecg_chunks ORDER BY seq")
        var seen: [Int64] = []
        while try codecs.step() { seen.append(codecs.int64(0)) }
        #expect(seen == [0, 1])
    }
}
