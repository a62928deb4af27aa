import Telemetry

/// An open-addressing hash table from a key's hash to an index into one of the engine's arrays,
/// where the key itself lives: the caller says whether the entry at an index is the key it asked
/// for. Eight bytes an entry, no key copied, and one multiplication to hash, where a
/// `Dictionary` keyed by two Strings costs a SipHash and a copy of both (a tenth of a reading).
struct IndexTable {
    /// `hash << 32 | index + 1`; 0 is an empty slot. Linear probing, at most half full.
    private var slots: [UInt64] = []
    private(set) var count = 0

    /// The index whose key `matches`, among those stored under `hash`.
    @inline(__always)
    func find(_ hash: UInt32, where matches: (Int32) -> Bool) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var i = Int(hash) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            if UInt32(truncatingIfNeeded: slot >> 32) == hash {
                let index = Int32(truncatingIfNeeded: slot) - 1
                if matches(index) { return index }
            }
            i = (i + 1) & mask
        }
    }

    /// Stores `index` under `hash`; the key must not be there already.
    mutating func insert(_ hash: UInt32, _ index: Int32) {
        if (count + 1) * 2 > slots.count { grow() }
        place(UInt64(hash) << 32 | UInt64(UInt32(index + 1)))
        count += 1
    }

    private mutating func place(_ entry: UInt64) {
        let mask = slots.count - 1
        var i = Int(UInt32(truncatingIfNeeded: entry >> 32)) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = entry
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: max(16, old.count * 2))
        for entry in old where entry != 0 { place(entry) }
    }
}

extension IndexTable {
    /// The hash of a device address, and of a device's stream: FNV-1a over the ids' bytes, mixed
    /// down to 32 bits.
    @inline(__always)
    static func hash(_ source: DeviceAddress, _ stream: StreamKind? = nil) -> UInt32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(stream.map { $0.rawValue &+ 1 } ?? 0)
        h = fnv(source.device, h)
        h = fnv(source.station, (h ^ 0x2f) &* 0x100_0000_01b3)
        return UInt32(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    @inline(__always)
    private static func fnv(_ s: String, _ seed: UInt64) -> UInt64 {
        var s = s
        return s.withUTF8 { bytes in
            var h = seed
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return h
        }
    }
}
