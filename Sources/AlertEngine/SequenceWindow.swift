/// What a device's stream has sent lately: the newest (seq, ts) for counting gaps, and the last
/// few (seq, ts) pairs for recognising a QoS 1 redelivery, which after a reconnect can repeat
/// several earlier messages, not only the newest. Held inline: no heap per series.
struct SequenceWindow {
    static let size = 8
    private typealias Eight = (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64)

    private var recentSeq: Eight = (0, 0, 0, 0, 0, 0, 0, 0)
    private var recentTS: Eight = (.min, .min, .min, .min, .min, .min, .min, .min)
    private var next = 0
    private(set) var newest: (seq: Int64, ts: Int64)?

    init() {}

    /// Whether (seq, ts) is one of the recent messages again.
    func contains(seq: Int64, ts: Int64) -> Bool {
        withUnsafeBytes(of: recentSeq) { seqs in
            withUnsafeBytes(of: recentTS) { times in
                for i in 0..<Self.size where seqs.load(fromByteOffset: i * 8, as: Int64.self) == seq
                    && times.load(fromByteOffset: i * 8, as: Int64.self) == ts { return true }
                return false
            }
        }
    }

    /// Records a new message; returns how many were missed before it (0 for the first, for a
    /// late, older one, or for a device that restarted its seq at 1).
    mutating func record(seq: Int64, ts: Int64) -> Int64 {
        let slot = next
        withUnsafeMutableBytes(of: &recentSeq) { $0.storeBytes(of: seq, toByteOffset: slot * 8, as: Int64.self) }
        withUnsafeMutableBytes(of: &recentTS) { $0.storeBytes(of: ts, toByteOffset: slot * 8, as: Int64.self) }
        next = (next + 1) % Self.size
        guard let last = newest else {
            newest = (seq, ts)
            return 0
        }
        guard ts > last.ts || (ts == last.ts && seq > last.seq) else { return 0 }
        newest = (seq, ts)
        return seq > last.seq + 1 ? seq - last.seq - 1 : 0
    }
}
