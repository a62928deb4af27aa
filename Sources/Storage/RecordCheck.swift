/// The check a spool record carries: a 32-bit hash of its segment's generation and its body,
/// eight bytes a step (MurmurHash3's mixing of 64-bit words and its finaliser).
///
/// It tells a whole record of this generation from a torn one, from zeros, and from a record
/// left by the segment's previous use; it is no defence against someone who forges records.
/// FNV-1a, the check before it, took a multiply a byte on the network thread; this takes one a
/// word, and the finaliser makes every bit of the input reach every bit of the check.
enum RecordCheck {
    private static let c1: UInt64 = 0x87C3_7B91_1142_53D5
    private static let c2: UInt64 = 0x4CF5_AD43_2745_937F

    static func of(_ body: UnsafeRawBufferPointer, generation: UInt64) -> UInt32 {
        // The length goes in too: a body and the same body with zeros after it differ.
        var h = finalised(generation) ^ UInt64(body.count)
        var at = 0
        while at + 8 <= body.count {
            h = mixed(h, UInt64(littleEndian: body.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
            at += 8
        }
        if at < body.count {
            var tail: UInt64 = 0
            for i in at..<body.count { tail |= UInt64(body[i]) << (8 * UInt64(i - at)) }
            h = mixed(h, tail)
        }
        let f = finalised(h)
        return UInt32(truncatingIfNeeded: f ^ (f >> 32))
    }

    private static func mixed(_ h: UInt64, _ word: UInt64) -> UInt64 {
        var k = word &* c1
        k = (k << 31 | k >> 33) &* c2
        let x = h ^ k
        return (x << 27 | x >> 37) &* 5 &+ 0x52DC_E729
    }

    private static func finalised(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        return h ^ h >> 33
    }
}
