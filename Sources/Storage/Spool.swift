import Glibc
import Synchronization

/// A write-ahead spool: what the gateway acknowledges to the broker is first copied here, so it
/// survives a crash of the gateway process before the batched writer has committed it to SQLite.
/// At start, whatever the spool holds is stored again (inserts are keyed, so replaying a committed
/// record changes nothing) and the spool is emptied.
///
/// Two segment files of fixed size alternate, each mapped into memory (`MAP_SHARED`): an append
/// is a copy into the page cache, which the kernel keeps when the process dies, and no system
/// call. Their blocks are allocated when the spool opens, so a full disk is an error then and
/// never a fault later. When the active segment is full and every record of the other one is
/// committed, the other one becomes active; when it is not, `append` throws `SpoolError.full`
/// and the caller waits for the writer.
///
/// A segment is `"CGSPOOL3" | generation u64 | records`, a record `[length u32][check u32]
/// [body]`, the check a hash of the generation and the body (`RecordCheck`): a torn last record
/// (a crash mid-copy), zeros, or a record left from the segment's previous use ends the segment.
/// The body is written in place and its header last.
/// Power loss is not covered: the spool is not synced, like SQLite's WAL with synchronous=NORMAL.
public final class Spool: Sendable {
    private struct Segment {
        var fd: Int32
        /// The mapping's address (a pointer is not Sendable; the mutex guards every use).
        var base: UInt
        var generation: UInt64 = 0
        /// Bytes in use, header included.
        var size = 0
        /// Records not yet committed to SQLite.
        var pending = 0

        var bytes: UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: base)! }
    }

    private struct State {
        var segments: [Segment]
        var active = 0
    }

    static let magic = Array("CGSPOOL3".utf8)
    /// The magic of the spool before `RecordCheck`, checked with FNV-1a; still read.
    static let fnvMagic = Array("CGSPOOL2".utf8)
    static let recordHeaderBytes = 8
    static let headerBytes = 16

    private let state: Mutex<State>
    private let segmentBytes: Int
    /// The two segment files.
    public let paths: [String]

    /// Opens (creating) the two segment files next to `basePath` (`basePath.spool-0`, `-1`), each
    /// `segmentBytes` long. Call `Spool.recover(basePath:)` first: opening empties what is there.
    public init(basePath: String, segmentBytes: Int = 16 << 20) throws(SpoolError) {
        self.segmentBytes = segmentBytes
        paths = Spool.segmentPaths(basePath)
        var segments: [Segment] = []
        do throws(SpoolError) {
            for path in paths {
                segments.append(try Spool.map(path, bytes: segmentBytes))
            }
        } catch {
            segments.forEach { Spool.unmap($0, bytes: segmentBytes) }
            throw error
        }
        state = Mutex(State(segments: segments))
        state.withLock { Spool.start(&$0.segments[0], generation: 1) }
    }

    deinit {
        state.withLock { s in s.segments.forEach { Spool.unmap($0, bytes: segmentBytes) } }
    }

    /// Appends one record of `count` bytes, which `fill` writes in place (every byte of the
    /// buffer it is given), and returns the segment it went to; pass that to
    /// `committed(segments:)` once the record is in SQLite.
    public func append(bytes count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) throws(SpoolError) -> Int {
        try state.withLock { (s) throws(SpoolError) -> Int in
            let recordBytes = Spool.recordHeaderBytes + count
            // A record is never empty, so that zeros always end a segment (`parse`).
            guard count > 0 else {
                throw SpoolError(path: paths[s.active], operation: "append an empty record", errno: EINVAL)
            }
            guard Spool.headerBytes + recordBytes <= segmentBytes else {
                throw SpoolError(path: paths[s.active], operation: "append a record of \(recordBytes) bytes", errno: EFBIG)
            }
            if s.segments[s.active].size + recordBytes > segmentBytes {
                let next = 1 - s.active
                guard s.segments[next].pending == 0 else { throw SpoolError.full(paths[s.active]) }
                Spool.start(&s.segments[next], generation: s.segments[s.active].generation + 1)
                s.active = next
            }
            let segment = s.active
            let record = s.segments[segment].bytes.advanced(by: s.segments[segment].size)
            let body = UnsafeMutableRawBufferPointer(start: record + Spool.recordHeaderBytes, count: count)
            fill(body)
            let check = RecordCheck.of(UnsafeRawBufferPointer(body), generation: s.segments[segment].generation)
            record.storeBytes(of: UInt32(count).littleEndian, as: UInt32.self)
            record.storeBytes(of: check.littleEndian, toByteOffset: 4, as: UInt32.self)
            s.segments[segment].size += recordBytes
            s.segments[segment].pending += 1
            return segment
        }
    }

    /// Marks records as committed to SQLite, one entry per record, by the segment `append` returned.
    public func committed(segments: some Sequence<Int>) {
        var counts = (0, 0)
        for segment in segments where segment >= 0 {
            if segment == 0 { counts.0 += 1 } else { counts.1 += 1 }
        }
        state.withLock { s in
            s.segments[0].pending -= counts.0
            s.segments[1].pending -= counts.1
        }
    }

    /// The records left in the spool at `basePath` by an earlier run, oldest first.
    public static func recover(basePath: String) throws(SpoolError) -> [[UInt8]] {
        var segments: [(generation: UInt64, records: [[UInt8]])] = []
        for path in segmentPaths(basePath) {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                if errno == ENOENT { continue }
                throw SpoolError(path: path, operation: "open", errno: errno)
            }
            defer { close(fd) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 { if errno == EINTR { continue }; throw SpoolError(path: path, operation: "read", errno: errno) }
                if n == 0 { break }
                bytes.append(contentsOf: chunk[0..<n])
            }
            if let parsed = parse(bytes) { segments.append(parsed) }
        }
        return segments.sorted { $0.generation < $1.generation }.flatMap(\.records)
    }

    static func segmentPaths(_ basePath: String) -> [String] {
        ["\(basePath).spool-0", "\(basePath).spool-1"]
    }

    /// A segment's generation and records. The spools of earlier versions are read too, so an
    /// upgrade loses nothing: `CGSPOOL2` (FNV-1a over the generation and the body) and the first
    /// (no magic, an 8-byte generation, FNV-1a over the body alone).
    private static func parse(_ bytes: [UInt8]) -> (generation: UInt64, records: [[UInt8]])? {
        let version = bytes.starts(with: magic) ? 3 : bytes.starts(with: fnvMagic) ? 2 : 1
        let header = version == 1 ? 8 : headerBytes
        guard bytes.count >= header else { return nil }
        let generation = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[header - 8 + $1]) << (8 * $1) }
        let seed = version == 2 ? fnv1a(generation: generation) : fnvBasis
        var records: [[UInt8]] = []
        var at = header
        while at + recordHeaderBytes <= bytes.count {
            let length = (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
            let checksum = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + 4 + $1]) << (8 * $1) }
            let start = at + recordHeaderBytes
            // Zeros: the end of what was written (no record is empty, even if its check matched).
            guard length > 0, start + length <= bytes.count else { break }
            let body = bytes[start..<(start + length)]
            let expected = version == 3
                ? body.withUnsafeBytes { RecordCheck.of($0, generation: generation) }
                : fnv1a(body, from: seed)
            guard expected == checksum else { break }
            records.append(Array(body))
            at = start + length
        }
        return (generation, records)
    }

    /// Opens `path`, empties it, allocates `bytes` of disk for it and maps it.
    private static func map(_ path: String, bytes: Int) throws(SpoolError) -> Segment {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SpoolError(path: path, operation: "open", errno: errno) }
        guard ftruncate(fd, 0) == 0 else {
            let e = errno
            close(fd)
            throw SpoolError(path: path, operation: "empty", errno: e)
        }
        // posix_fallocate returns the error instead of setting errno.
        let allocated = posix_fallocate(fd, 0, off_t(bytes))
        guard allocated == 0 else {
            close(fd)
            throw SpoolError(path: path, operation: "allocate \(bytes >> 20) MiB for", errno: allocated)
        }
        guard let base = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), base != MAP_FAILED else {
            let e = errno
            close(fd)
            throw SpoolError(path: path, operation: "map", errno: e)
        }
        return Segment(fd: fd, base: UInt(bitPattern: base))
    }

    private static func unmap(_ segment: Segment, bytes: Int) {
        munmap(segment.bytes, bytes)
        close(segment.fd)
    }

    /// Makes `segment` the empty head of `generation`; records of its previous use no longer
    /// check out against the new generation.
    private static func start(_ segment: inout Segment, generation: UInt64) {
        var header = magic
        for i in 0..<8 { header.append(UInt8(truncatingIfNeeded: generation >> (8 * i))) }
        // The header, and a zero length where the first record goes.
        header.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0])
        header.withUnsafeBytes { segment.bytes.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        segment.generation = generation
        segment.size = headerBytes
        segment.pending = 0
    }
}

// FNV-1a, the check of the spool's earlier versions, read at recovery only.
private let fnvBasis: UInt32 = 0x811C_9DC5

private func fnv1a(_ bytes: ArraySlice<UInt8>, from seed: UInt32) -> UInt32 {
    var hash = seed
    for b in bytes {
        hash = (hash ^ UInt32(b)) &* 0x0100_0193
    }
    return hash
}

private func fnv1a(generation: UInt64) -> UInt32 {
    var hash = fnvBasis
    for i in 0..<8 {
        hash = (hash ^ UInt32(UInt8(truncatingIfNeeded: generation >> (8 * i)))) &* 0x0100_0193
    }
    return hash
}

/// A spool file could not be opened, allocated, mapped or read, or the spool is full.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    /// Both segments hold records not yet committed: wait for the writer, then append again.
    public var isFull = false

    static func full(_ path: String) -> SpoolError {
        SpoolError(path: path, operation: "append", errno: ENOBUFS, isFull: true)
    }

    public var description: String {
        "spool \(path): \(operation) failed: \(String(cString: strerror(errno))); check that the database's directory is writable and not full"
    }
}
