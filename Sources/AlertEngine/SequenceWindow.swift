/// What a device's stream has sent lately: the newest (seq, ts) for counting gaps, and the last
/// few (seq, ts) pairs for recognising a QoS 1 redelivery, which after a reconnect can repeat
/// several earlier messages, not only the newest. Held inline: no heap per series.
///
/// The recent pairs keep the low 32 bits of seq and ts (64 bytes for eight): two of a device's
/// last eight messages would have to share seq modulo 2³² and be exactly a multiple of 49.7 days
/// apart to be mistaken for each other.
struct SequenceWindow {
    static let size = 8
    private typealias Eight = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// `(seq & 0xffffffff) << 32 | (ts & 0xffffffff)` of the last eight messages.
    private var recent: Eight = (.max, .max, .max, .max, .max, .max, .max, .max)
    /// The newest message's seq and ts, once `hasNewest`. Plain fields, not an optional tuple,
    /// and the small ones last: the window is 82 bytes, and a series' small fields fill its tail.
    private var newestSeq: Int64 = 0
    private var newestTs: Int64 = 0
    private var next: UInt8 = 0
    private var hasNewest = false

    init() {}

    @inline(__always)
    private static func key(_ seq: Int64, _ ts: Int64) -> UInt64 {
        UInt64(truncatingIfNeeded: seq) << 32 | UInt64(truncatingIfNeeded: ts) & 0xffff_ffff
    }

    /// Whether (seq, ts) is one of the recent messages again.
    func contains(seq: Int64, ts: Int64) -> Bool {
        let k = Self.key(seq, ts)
        return withUnsafeBytes(of: recent) { r in
            for i in 0..<Self.size where r.load(fromByteOffset: i * 8, as: UInt64.self) == k { return true }
            return false
        }
    }

    /// Records a new message; returns how many were missed before it (0 for the first, for a
    /// late, older one, or for a device that restarted its seq at 1).
    mutating func record(seq: Int64, ts: Int64) -> Int64 {
        let slot = Int(next)
        let k = Self.key(seq, ts)
        withUnsafeMutableBytes(of: &recent) { $0.storeBytes(of: k, toByteOffset: slot * 8, as: UInt64.self) }
        next = UInt8((slot + 1) % Self.size)
        guard hasNewest else {
            (newestSeq, newestTs, hasNewest) = (seq, ts, true)
            return 0
        }
        let last = (seq: newestSeq, ts: newestTs)
        guard ts > last.ts || (ts == last.ts && seq > last.seq) else { return 0 }
        (newestSeq, newestTs) = (seq, ts)
        return seq > last.seq + 1 ? seq - last.seq - 1 : 0
    }
}
