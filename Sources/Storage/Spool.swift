import Glibc
import Synchronization

/// A write-ahead spool: what the gateway acknowledges to the broker is first appended here with
/// one `write(2)`, so it survives a crash of the gateway process before the batched writer has
/// committed it to SQLite. At start, whatever the spool holds is stored again (inserts are keyed,
/// so replaying a committed record changes nothing) and the spool is emptied.
///
/// Two segment files alternate: appends go to the active one; when it is full and every record of
/// the other one is committed, the other one is emptied and becomes active. A record is
/// `[length u32][FNV-1a u32][body]`; a torn last record (a crash mid-write) is ignored.
/// Power loss is not covered: the spool is not fsynced, like SQLite's WAL with synchronous=NORMAL.
public final class Spool: Sendable {
    private struct State {
        var fds: [Int32]
        var generation: [UInt64]
        var size: [Int]
        var pending: [Int]
        var active: Int
        var buffer: [UInt8]
    }

    private let state: Mutex<State>
    private let segmentBytes: Int
    /// The two segment files.
    public let paths: [String]

    /// Opens (creating) the two segment files next to `basePath` (`basePath.spool-0`, `-1`).
    /// Call `Spool.recover(basePath:)` first: opening does not read what is there, it empties it.
    public init(basePath: String, segmentBytes: Int = 8 << 20) throws(SpoolError) {
        self.segmentBytes = segmentBytes
        paths = Spool.segmentPaths(basePath)
        var fds: [Int32] = []
        for path in paths {
            let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                fds.forEach { close($0) }
                throw SpoolError(path: path, operation: "open", errno: errno)
            }
            guard ftruncate(fd, 0) == 0 else {
                let e = errno
                (fds + [fd]).forEach { close($0) }
                throw SpoolError(path: path, operation: "empty", errno: e)
            }
            fds.append(fd)
        }
        state = Mutex(State(fds: fds, generation: [0, 0], size: [0, 0], pending: [0, 0], active: 0,
                            buffer: []))
        try state.withLock { (s) throws(SpoolError) in try Spool.writeHeader(&s, segment: 0, generation: 1, path: paths[0]) }
    }

    deinit {
        state.withLock { s in s.fds.forEach { close($0) } }
    }

    /// Appends one record built by `fill` and returns the segment it went to; pass that to
    /// `committed(segments:)` once the record is in SQLite.
    public func append(_ fill: (inout [UInt8]) -> Void) throws(SpoolError) -> Int {
        try state.withLock { (s) throws(SpoolError) -> Int in
            if s.size[s.active] >= segmentBytes, s.pending[1 - s.active] == 0 {
                let next = 1 - s.active
                guard ftruncate(s.fds[next], 0) == 0 else { throw SpoolError(path: paths[next], operation: "empty", errno: errno) }
                try Spool.writeHeader(&s, segment: next, generation: s.generation[s.active] + 1, path: paths[next])
                s.active = next
            }
            s.buffer.removeAll(keepingCapacity: true)
            s.buffer.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0])
            fill(&s.buffer)
            let bodyCount = s.buffer.count - 8
            let checksum = fnv1a(s.buffer[8...])
            for i in 0..<4 {
                s.buffer[i] = UInt8(truncatingIfNeeded: UInt32(bodyCount) >> (8 * i))
                s.buffer[4 + i] = UInt8(truncatingIfNeeded: checksum >> (8 * i))
            }
            let segment = s.active
            do throws(SpoolError) {
                try Spool.writeAll(s.fds[segment], s.buffer, path: paths[segment])
            } catch {
                // A torn record (disk full mid-write) would hide every later one from recovery:
                // cut the file back to the last whole record before reporting the failure.
                _ = ftruncate(s.fds[segment], off_t(s.size[segment]))
                throw error
            }
            s.size[segment] += s.buffer.count
            s.pending[segment] += 1
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
            s.pending[0] -= counts.0
            s.pending[1] -= counts.1
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

    private static func parse(_ bytes: [UInt8]) -> (generation: UInt64, records: [[UInt8]])? {
        guard bytes.count >= 8 else { return nil }
        let generation = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * $1) }
        var records: [[UInt8]] = []
        var at = 8
        while at + 8 <= bytes.count {
            let length = (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
            let checksum = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + 4 + $1]) << (8 * $1) }
            guard at + 8 + length <= bytes.count else { break }
            let body = bytes[(at + 8)..<(at + 8 + length)]
            guard fnv1a(body) == checksum else { break }
            records.append(Array(body))
            at += 8 + length
        }
        return (generation, records)
    }

    private static func writeHeader(_ s: inout State, segment: Int, generation: UInt64, path: String) throws(SpoolError) {
        let header = (0..<8).map { UInt8(truncatingIfNeeded: generation >> (8 * $0)) }
        try writeAll(s.fds[segment], header, path: path)
        s.generation[segment] = generation
        s.size[segment] = header.count
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SpoolError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, operation: "write", errno: errno)
            }
            written += n
        }
    }
}

private func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var hash: UInt32 = 0x811C_9DC5
    for b in bytes {
        hash = (hash ^ UInt32(b)) &* 0x0100_0193
    }
    return hash
}

/// A spool file could not be opened, written or read.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var errno: Int32

    public var description: String {
        "spool \(path): \(operation) failed: \(String(cString: strerror(errno))); check that the database's directory is writable and not full"
    }
}
