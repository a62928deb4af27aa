import Foundation
import Storage
import Testing

@Suite struct SpoolTests {
    @Test func recordsComeBackInOrder() throws {
        let base = temporaryPath("spool.db")
        let spool = try Spool(basePath: base)
        for i in 0..<100 {
            _ = try spool.append { $0.append(contentsOf: Array("record \(i)".utf8)) }
        }
        let records = try Spool.recover(basePath: base)
        #expect(records.map { String(decoding: $0, as: UTF8.self) } == (0..<100).map { "record \($0)" })
    }

    @Test func aTornLastRecordIsIgnored() throws {
        let base = temporaryPath("torn.db")
        let spool = try Spool(basePath: base)
        _ = try spool.append { $0.append(contentsOf: [1, 2, 3]) }
        _ = try spool.append { $0.append(contentsOf: [4, 5, 6, 7]) }
        // Cut the file inside the second record, as a crash mid-write would.
        let path = spool.paths[0]
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(truncate(path, off_t(size - 2)) == 0)
        #expect(try Spool.recover(basePath: base) == [[1, 2, 3]])
    }

    @Test func segmentsRotateOnlyOnceCommitted() throws {
        let base = temporaryPath("rotate.db")
        // A header of 8 bytes and records of 28: a segment is full after two records.
        let spool = try Spool(basePath: base, segmentBytes: 64)
        var segments: [Int] = []
        for i in 0..<8 {
            segments.append(try spool.append { $0.append(contentsOf: [UInt8](repeating: UInt8(i), count: 20)) })
        }
        // The empty second segment takes over once; then nothing is committed, so the spool stays there.
        #expect(segments == [0, 0, 1, 1, 1, 1, 1, 1])
        spool.committed(segments: segments)
        // Everything in the first segment is committed: it is emptied and becomes active again.
        let next = try spool.append { $0.append(contentsOf: [9]) }
        #expect(next == 0)
        // The two committed records of the first segment are gone; the rest comes back oldest first.
        let records = try Spool.recover(basePath: base)
        #expect(records.map { $0.first } == [2, 3, 4, 5, 6, 7, 9])
    }

    @Test func openingEmptiesTheSpool() throws {
        let base = temporaryPath("reset.db")
        _ = try Spool(basePath: base).append { $0.append(1) }
        #expect(try Spool.recover(basePath: base).count == 1)
        _ = try Spool(basePath: base)
        #expect(try Spool.recover(basePath: base).isEmpty)
    }
}
