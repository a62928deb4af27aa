import CaregateTesting
import CReadAhead
import Foundation
import Glibc
import MQTT
import Synchronization
import Testing

/// The read-ahead under libmosquitto, on real sockets: small reads of an attached socket are
/// served from one read of it, byte for byte, and nothing else's reads change.
@Suite struct ReadAheadTests {
    @Test func smallReadsAreServedFromOneReadOfTheSocket() throws {
        let pair = try SocketPair()
        let ahead = try ReadAhead(attachedTo: pair.reader)
        let sent = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try pair.send(sent)

        // libmosquitto's first read of a packet: one byte. The socket gives up all 300.
        #expect(pair.read(1) == Array(sent[0..<1]))
        #expect(ahead.buffered == 299)
        #expect(pair.unreadOnSocket == 0)
        // Its remaining length, then its body, larger than what is left: what is left.
        #expect(pair.read(1) == Array(sent[1..<2]))
        #expect(pair.read(500) == Array(sent[2...]))
        #expect(ahead.buffered == 0)

        // Empty: as the socket says, errno included.
        #expect(pair.read(1) == nil && errno == EAGAIN)
        try pair.send([9, 8, 7])
        #expect(pair.read(2) == [9, 8])
        #expect(pair.read(2) == [7])
    }

    @Test func aReadLargerThanTheBufferGoesStraightToTheSocket() throws {
        let pair = try SocketPair()
        let ahead = try ReadAhead(attachedTo: pair.reader)
        let sent = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        try pair.send(sent)
        let got = pair.read(100_000) ?? []
        // Through the 64 KiB buffer it could not have been more than 65,536 bytes.
        #expect(got.count > 65_536)
        #expect(got == Array(sent[..<got.count]))
        #expect(ahead.buffered == 0)
    }

    @Test func closingTheSocketDetachesItAndDropsWhatWasBuffered() throws {
        let pair = try SocketPair()
        let ahead = try ReadAhead(attachedTo: pair.reader)
        try pair.send([1, 2, 3, 4])
        #expect(pair.read(1) == [1])
        #expect(ahead.buffered == 3)
        // close(2) detached it: the three bytes are gone. (Reading the closed number here could
        // read another test's file that reused it, so the test does not.)
        #expect(pair.closeReader() == 0)
        #expect(ahead.buffered == 0)

        // Attached to a new socket it starts empty.
        let next = try SocketPair()
        try ahead.attach(next.reader)
        try next.send([5])
        #expect(next.read(4) == [5])
    }

    @Test func twoSocketsKeepTheirBytesApartAndAttachingAnotherDetaches() throws {
        let first = try SocketPair(), second = try SocketPair()
        let one = try ReadAhead(attachedTo: first.reader)
        let two = try ReadAhead(attachedTo: second.reader)
        try first.send([1, 1, 1, 1])
        try second.send([2, 2, 2, 2])
        #expect(first.read(1) == [1])
        #expect(second.read(2) == [2, 2])
        #expect(first.read(8) == [1, 1, 1])
        #expect(second.read(8) == [2, 2])

        // The first read-ahead moves to a third socket: the first is read directly again.
        let third = try SocketPair()
        try one.attach(third.reader)
        try first.send([5, 6])
        #expect(first.read(1) == [5])
        #expect(first.unreadOnSocket == 1)
        #expect(one.buffered == 0 && two.buffered == 0)
    }

    @Test func aDescriptorOutOfRangeIsReadDirectly() throws {
        let ahead = try ReadAhead(attachedTo: nil)
        #expect(caregate_read_ahead_attach(ahead.pointer, 1 << 20) == -1)
        #expect(caregate_read_ahead_attach(ahead.pointer, -1) == -1)
        #expect(ahead.buffered == 0)
    }
}

/// A read-ahead owned by a test.
private final class ReadAhead {
    let pointer: OpaquePointer

    init(attachedTo fd: Int32?) throws {
        guard let pointer = caregate_read_ahead_create() else { throw SocketPairError.setup(ENOMEM) }
        self.pointer = pointer
        if let fd { try attach(fd) }
    }

    deinit { caregate_read_ahead_destroy(pointer) }

    func attach(_ fd: Int32) throws {
        guard caregate_read_ahead_attach(pointer, fd) == 0 else { throw SocketPairError.setup(EBADF) }
    }

    var buffered: Int { caregate_read_ahead_buffered(pointer) }
}

/// A connected pair of Unix stream sockets; `reader` is non-blocking, as libmosquitto's is.
private final class SocketPair {
    let reader: Int32
    let writer: Int32
    private var readerOpen = true

    init() throws {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0 else { throw SocketPairError.setup(errno) }
        reader = ends[0]
        writer = ends[1]
        // Room for the 100,000 bytes of the large read.
        var size: Int32 = 1 << 20
        _ = setsockopt(writer, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(reader, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        guard fcntl(reader, F_SETFL, O_NONBLOCK) == 0 else { throw SocketPairError.setup(errno) }
    }

    deinit {
        if readerOpen { close(reader) }
        close(writer)
    }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
            guard n > 0 else { throw SocketPairError.setup(errno) }
            sent += n
        }
    }

    /// One read(2) of at most `count` bytes; nil when it fails (errno says why).
    func read(_ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(reader, $0.baseAddress, $0.count) }
        return n < 0 ? nil : Array(buffer[..<n])
    }

    /// Bytes on the socket itself, not counting any read-ahead.
    var unreadOnSocket: Int {
        var count: Int32 = 0
        return ioctl(reader, UInt(FIONREAD), &count) == 0 ? Int(count) : -1
    }

    func closeReader() -> Int32 {
        readerOpen = false
        return close(reader)
    }
}

private enum SocketPairError: Error {
    case setup(Int32)
}

/// The client's network loop over the read-ahead: messages that arrived together and sit in the
/// buffer, not on the socket, are all delivered, though nothing more arrives to wake `poll`.
///
/// The real broker cannot be made to put a backlog into one TCP segment, so a scripted peer
/// does: it answers the CONNECT with the CONNACK and fifty QoS 0 PUBLISHes in one write, then
/// sends nothing more.
@Suite struct NetworkLoopReadAheadTests {
    @Test func aBacklogThatArrivesInOneWriteIsDeliveredToItsLastMessage() throws {
        let peer = try ScriptedBroker(messages: 50)
        let payloads = Mutex<[String]>([])
        let client = try MQTTClient(
            options: ClientOptions(broker: BrokerURL(host: "127.0.0.1", port: peer.port), clientID: "read-ahead-test", cleanSession: true),
            onMessage: { message in
                let text = String(decoding: message.payload, as: UTF8.self)
                payloads.withLock { $0.append(text) }
            })
        try client.start()
        defer { client.stop() }
        let delivered = Waiting.until(timeoutSeconds: 5) { payloads.withLock { $0.count } == 50 }
        #expect(delivered, "delivered \(payloads.withLock { $0.count }) of 50")
        #expect(payloads.withLock { $0 } == (1...50).map { "message \($0)" })
    }
}

/// A peer on 127.0.0.1 that speaks just enough MQTT 3.1.1 for one connection: CONNACK, then
/// `messages` PUBLISHes to `care/st01/dev/bp`, all in one write.
private final class ScriptedBroker: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let done = DispatchSemaphore(value: 0)
    private let connection = Atomic<Int32>(-1)

    init(messages: Int) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
                guard bind(listener, a, length) == 0, listen(listener, 1) == 0, getsockname(listener, a, &length) == 0 else {
                    throw SocketPairError.setup(errno)
                }
            }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        var script: [UInt8] = [0x20, 0x02, 0x00, 0x00]
        let topic = Array("care/st01/dev/bp".utf8)
        for n in 1...messages {
            let body = Array("message \(n)".utf8)
            script += [0x30, UInt8(2 + topic.count + body.count), 0x00, UInt8(topic.count)] + topic + body
        }
        let bytes = script
        Thread { [self] in
            let fd = accept(listener, nil, nil)
            connection.store(fd, ordering: .releasing)
            // The CONNECT, whatever it holds; then everything at once.
            var connect = [UInt8](repeating: 0, count: 512)
            _ = connect.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            done.signal()
        }.start()
    }

    deinit {
        _ = done.wait(timeout: .now() + 5)
        let fd = connection.load(ordering: .acquiring)
        if fd >= 0 { close(fd) }
        close(listener)
    }
}
