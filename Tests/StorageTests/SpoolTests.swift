import Foundation
import Storage
import Testing

@Suite struct SpoolTests {
    @Test func recordsComeBackInOrder() throws {
        let base = temporaryPath("spool.db")
        let spool = try Spool(basePath: base)
        for i in 0..<100 {
            _ = try spool.append(Array("record \(i)".utf8))
        }
        let records = try Spool.recover(basePath: base)
        #expect(records.map { String(decoding: $0, as: UTF8.self) } == (0..<100).map { "record \($0)" })
    }

    @Test func aTornLastRecordIsIgnored() throws {
        let base = temporaryPath("torn.db")
        let spool = try Spool(basePath: base)
        _ = try spool.append([1, 2, 3])
        _ = try spool.append([4, 5, 6, 7])
        // The second record's copy stopped short, as a crash mid-copy would leave it: its last
        // two bytes are still the zeros of the fresh segment.
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: spool.paths[0]))
        try file.seek(toOffset: 16 + 11 + 10)
        try file.write(contentsOf: Data([0, 0]))
        try file.close()
        #expect(try Spool.recover(basePath: base) == [[1, 2, 3]])
    }

    @Test func segmentsRotateOnlyOnceCommitted() throws {
        let base = temporaryPath("rotate.db")
        // A header of 16 bytes and records of 28: a segment of 72 holds two records.
        let spool = try Spool(basePath: base, segmentBytes: 72)
        func append(_ i: Int) throws -> Int {
            try spool.append([UInt8](repeating: UInt8(i), count: 20))
        }
        var segments: [Int] = []
        for i in 0..<4 { segments.append(try append(i)) }
        #expect(segments == [0, 0, 1, 1])
        // Both segments hold records the writer has not committed: the spool is full.
        let full = #expect(throws: SpoolError.self) { try append(4) }
        #expect(full?.isFull == true)
        spool.committed(segments: segments[0..<2])
        // Everything in the first segment is committed: it is emptied and becomes active again.
        #expect(try append(4) == 0)
        // Record 1 is still in the first segment's file, after record 4, but from its previous
        // use: it must not come back. The rest comes back oldest first.
        #expect(try Spool.recover(basePath: base).map { $0.first } == [2, 3, 4])
    }

    @Test func aRecordLargerThanASegmentOrEmptyIsRefused() throws {
        let spool = try Spool(basePath: temporaryPath("large.db"), segmentBytes: 64)
        let error = #expect(throws: SpoolError.self) { try spool.append([UInt8](repeating: 1, count: 60)) }
        #expect(error?.isFull == false)
        #expect(throws: SpoolError.self) { try spool.append([]) }
        #expect(try spool.append([7]) == 0)
    }

    @Test func aRecordWithAnyBitChangedIsNotRecovered() throws {
        let base = temporaryPath("bits.db")
        let spool = try Spool(basePath: base, segmentBytes: 64)
        _ = try spool.append(Array("care/st01/bp-1/bp {\"seq\":1}".utf8))
        let good = try Data(contentsOf: URL(fileURLWithPath: spool.paths[0]))
        #expect(try Spool.recover(basePath: base).count == 1)
        // Every bit of the record, its length and check included: flipped, the record is gone
        // (a changed length that runs past the file is refused before its check is computed).
        let recordStart = 16
        let recordEnd = recordStart + 8 + 27
        var recovered: [Int] = []
        for bit in (recordStart * 8)..<(recordEnd * 8) {
            var bytes = good
            bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            try bytes.write(to: URL(fileURLWithPath: spool.paths[0]))
            if try !Spool.recover(basePath: base).isEmpty { recovered.append(bit) }
        }
        #expect(recovered.isEmpty, "bits whose change went unnoticed: \(recovered)")
    }

    @Test func theSpoolOfTheVersionBeforeIsRecovered() throws {
        // "CGSPOOL2": the same layout, checked with FNV-1a over the generation, then the body.
        let generation: [UInt8] = [7, 0, 0, 0, 0, 0, 0, 0]
        let bytes = Array("CGSPOOL2".utf8) + generation + Self.fnvRecords(["first", "second"], seed: generation)
        #expect(try Self.recovered(bytes) == ["first", "second"])
    }

    @Test func theSpoolOfTheFirstVersionIsRecovered() throws {
        // Before the spool was mapped: an 8-byte generation, then records checksummed over the body.
        let bytes = [5, 0, 0, 0, 0, 0, 0, 0] + Self.fnvRecords(["first", "second"], seed: [])
        #expect(try Self.recovered(bytes) == ["first", "second"])
    }

    /// Records as the spools before `RecordCheck` wrote them: the length, FNV-1a over `seed`
    /// and then the body, the body.
    static func fnvRecords(_ bodies: [String], seed: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        for body in bodies.map({ Array($0.utf8) }) {
            var hash: UInt32 = 0x811C_9DC5
            for b in seed + body { hash = (hash ^ UInt32(b)) &* 0x0100_0193 }
            for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: body.count >> (8 * i))) }
            for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: hash >> (8 * i))) }
            bytes += body
        }
        return bytes
    }

    /// What recovery makes of `bytes` as a spool's first segment file.
    static func recovered(_ bytes: [UInt8]) throws -> [String] {
        let base = temporaryPath("earlier.db")
        #expect(FileManager.default.createFile(atPath: base + ".spool-0", contents: Data(bytes)))
        return try Spool.recover(basePath: base).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func openingEmptiesTheSpool() throws {
        let base = temporaryPath("reset.db")
        _ = try Spool(basePath: base).append([1])
        #expect(try Spool.recover(basePath: base).count == 1)
        _ = try Spool(basePath: base)
        #expect(try Spool.recover(basePath: base).isEmpty)
    }
}

extension Spool {
    /// Appends `body` as one record.
    func append(_ body: [UInt8]) throws(SpoolError) -> Int {
        try append(bytes: body.count) { $0.copyBytes(from: body) }
    }
}
