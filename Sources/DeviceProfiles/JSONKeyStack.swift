/// The member names of every open object, for finding a key given twice.
///
/// One stack for all open objects: opening an object pushes a marker that remembers where
/// the enclosing object's names start; closing pops back to it. Names are compared by
/// their decoded bytes (`"a"` and `"\u0061"` are the same key). Objects of up to
/// `eagerLimit` names are checked as each name arrives; bigger ones are checked once, by
/// sorting their hashes, when they close, so a huge object costs O(n log n), not O(n²).
///
/// Lives in caller-provided scratch (usually on the stack) and moves to the heap only if
/// that fills; `release()` frees what it allocated.
struct JSONKeyStack {
    struct Record {
        /// Offset of the name's body, or -1 for an object marker.
        var start: Int32
        /// End of the name's body, or for a marker the enclosing object's first index.
        var end: Int32
        var escaped: Bool

        func string() -> JSONString { JSONString(start: Int(start), end: Int(end), hasEscapes: escaped) }
    }

    static let eagerLimit = 32

    private var base: UnsafeMutablePointer<Record>
    private var capacity: Int
    private var owned = false
    private var count = 0
    /// Index of the innermost open object's first name.
    private var frameStart = 0

    init(scratch: UnsafeMutableBufferPointer<Record>) {
        precondition(scratch.count >= 2, "key scratch too small")
        base = scratch.baseAddress!
        capacity = scratch.count
    }

    mutating func release() {
        if owned { base.deallocate() }
        owned = false
        capacity = 0
        count = 0
    }

    mutating func openObject() {
        push(Record(start: -1, end: Int32(frameStart), escaped: false))
        frameStart = count
    }

    /// Adds a name to the innermost object; false if it is already there (small objects only).
    mutating func add(_ name: JSONString, in bytes: UnsafePointer<UInt8>) -> Bool {
        if count - frameStart < Self.eagerLimit {
            let length = name.end - name.start
            var i = frameStart
            while i < count {
                let r = base[i]
                if r.escaped || name.hasEscapes {
                    if r.string().decodesEqual(to: name, in: bytes) { return false }
                } else if Int(r.end &- r.start) == length {
                    var k = 0
                    while k < length && bytes[Int(r.start) &+ k] == bytes[name.start &+ k] { k &+= 1 }
                    if k == length { return false }
                }
                i &+= 1
            }
        }
        let start = Int32(truncatingIfNeeded: name.start)
        push(Record(start: start, end: Int32(truncatingIfNeeded: name.end), escaped: name.hasEscapes))
        return true
    }

    /// Closes the innermost object; false if it was too big for eager checks and holds a name twice.
    mutating func closeObject(in bytes: UnsafePointer<UInt8>) -> Bool {
        var unique = true
        if count - frameStart > Self.eagerLimit {
            let names = UnsafeBufferPointer(start: base + frameStart, count: count - frameStart)
            unique = Self.allDistinct(names, in: bytes)
        }
        let marker = frameStart - 1
        frameStart = Int(base[marker].end)
        count = marker
        return unique
    }

    private static func allDistinct(_ records: UnsafeBufferPointer<Record>, in bytes: UnsafePointer<UInt8>) -> Bool {
        let sorted = records.map { (hash: $0.string().hash(in: bytes), name: $0.string()) }.sorted { $0.hash < $1.hash }
        var runStart = 0
        for i in 1...sorted.count {
            guard i == sorted.count || sorted[i].hash != sorted[runStart].hash else { continue }
            for a in runStart..<i {
                for b in (a + 1)..<i where sorted[a].name.decodesEqual(to: sorted[b].name, in: bytes) { return false }
            }
            runStart = i
        }
        return true
    }

    @inline(__always)
    private mutating func push(_ r: Record) {
        if count == capacity { grow() }
        (base + count).initialize(to: r)
        count += 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Record>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        if owned { base.deallocate() }
        base = bigger
        capacity *= 2
        owned = true
    }
}
