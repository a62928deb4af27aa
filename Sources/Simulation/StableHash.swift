/// FNV-1a over UTF-8: the same for a string in every process (Swift's `Hasher` is seeded per
/// process), so that a device's random stream depends only on the seed and its id.
enum StableHash {
    static func of(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01B3
        }
        return h
    }
}
