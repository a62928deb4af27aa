import CaregateTesting
import CBrokerSocket
import Foundation
import Glibc
import MQTT
import Synchronization
import Testing

/// The broker socket's batching under libmosquitto, on real sockets: small reads of an attached
/// socket are served from one read of it, held writes leave together and in order, nothing is
/// lost when the socket is full, and no other descriptor's reads or writes change.
@Suite struct BrokerSocketTests {
    @Test func smallReadsAreServedFromOneReadOfTheSocket() throws {
        let pair = try SocketPair()
        let socket = try AttachedSocket(pair.local)
        let sent = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try pair.peerSends(sent)

        // libmosquitto's first read of a packet: one byte. The socket gives up all 300.
        #expect(pair.read(1) == Array(sent[0..<1]))
        #expect(socket.unread == 299)
        #expect(pair.unreadOnSocket == 0)
        // Its remaining length, then its body, larger than what is left: what is left.
        #expect(pair.read(1) == Array(sent[1..<2]))
        #expect(pair.read(500) == Array(sent[2...]))
        #expect(socket.unread == 0)

        // Empty: as the socket says, errno included.
        #expect(pair.read(1) == nil && errno == EAGAIN)
        try pair.peerSends([9, 8, 7])
        #expect(pair.read(2) == [9, 8])
        #expect(pair.read(2) == [7])
    }

    @Test func aReadLargerThanTheBufferGoesStraightToTheSocket() throws {
        let pair = try SocketPair()
        let socket = try AttachedSocket(pair.local)
        let sent = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        try pair.peerSends(sent)
        let got = pair.read(100_000) ?? []
        // Through the 64 KiB buffer it could not have been more than 65,536 bytes.
        #expect(got.count > 65_536)
        #expect(got == Array(sent[..<got.count]))
        #expect(socket.unread == 0)
    }

    @Test func heldWritesLeaveTogetherAndInOrderWhenTheHoldEnds() throws {
        let pair = try SocketPair()
        let socket = try AttachedSocket(pair.local)
        #expect(caregate_broker_socket_hold(pair.local, 1) == 0)
        #expect(pair.write([0x40, 0x02, 0x00, 0x01]) == 4)
        #expect(pair.write([0x40, 0x02]) == 2)
        #expect(pair.write([0x00, 0x02]) == 2)
        #expect(pair.unreadAtPeer == 0)
        #expect(socket.unsent == 8)

        #expect(caregate_broker_socket_hold(pair.local, 0) == 0)
        #expect(socket.unsent == 0)
        #expect(pair.peerReceives() == [0x40, 0x02, 0x00, 0x01, 0x40, 0x02, 0x00, 0x02])

        // Not held: straight to the socket.
        #expect(pair.write([0x30]) == 1)
        #expect(pair.unreadAtPeer == 1)
        #expect(caregate_broker_socket_hold(-1, 1) == -1)
    }

    @Test func aFullSocketLosesNothingAndReordersNothing() throws {
        let pair = try SocketPair(bufferBytes: 4096)
        let socket = try AttachedSocket(pair.local)
        #expect(caregate_broker_socket_hold(pair.local, 1) == 0)

        // The peer reads nothing: writes are held, then sent to make room, until neither the
        // buffer nor the socket takes more, and the write fails as a full socket's does.
        var accepted: [UInt8] = []
        var chunk: UInt8 = 0
        while accepted.count < 1_000_000 {
            let bytes = [UInt8](repeating: chunk, count: 1000)
            guard pair.write(bytes) == 1000 else {
                #expect(errno == EAGAIN)
                break
            }
            accepted += bytes
            chunk &+= 1
        }
        #expect(accepted.count > 16 * 1024 && accepted.count < 1_000_000)

        // Let go while the socket is still full: what it did not take stays, and a write made
        // now goes behind it.
        #expect(caregate_broker_socket_hold(pair.local, 0) == 0)
        #expect(socket.unsent > 0)
        #expect(pair.write([0xEE]) == 1)
        accepted.append(0xEE)

        // The peer reads; the network thread lets the rest go whenever the socket has room.
        var received: [UInt8] = []
        Waiting.until(timeoutSeconds: 10) {
            received += pair.peerReceives()
            _ = caregate_broker_socket_hold(pair.local, 0)
            return received.count >= accepted.count && socket.unsent == 0
        }
        #expect(received.count == accepted.count)
        #expect(received == accepted)
    }

    @Test func closingTheSocketSendsWhatIsHeldAndDetachesIt() throws {
        let pair = try SocketPair()
        let socket = try AttachedSocket(pair.local)
        try pair.peerSends([1, 2, 3, 4])
        #expect(pair.read(1) == [1])
        #expect(socket.unread == 3)
        // libmosquitto's last PUBACKs and its DISCONNECT, held when it closes the socket.
        #expect(caregate_broker_socket_hold(pair.local, 1) == 0)
        #expect(pair.write([0x40, 0x02, 0x00, 0x09]) == 4)
        #expect(pair.write([0xE0, 0x00]) == 2)
        #expect(pair.unreadAtPeer == 0)
        // close(2) sent them and detached it: what was unread is gone. (Using the closed number
        // here could reach another test's descriptor that reused it, so the test does not.)
        #expect(pair.closeLocal() == 0)
        #expect(pair.peerReceives() == [0x40, 0x02, 0x00, 0x09, 0xE0, 0x00])
        #expect(socket.unread == 0 && socket.unsent == 0)

        // Attached to a new socket it starts empty.
        let next = try SocketPair()
        try socket.attach(next.local)
        try next.peerSends([5])
        #expect(next.read(4) == [5])
    }

    @Test func twoSocketsKeepTheirBytesApartAndAttachingAnotherDetaches() throws {
        let first = try SocketPair(), second = try SocketPair()
        let one = try AttachedSocket(first.local)
        let two = try AttachedSocket(second.local)
        try first.peerSends([1, 1, 1, 1])
        try second.peerSends([2, 2, 2, 2])
        #expect(first.read(1) == [1])
        #expect(second.read(2) == [2, 2])
        #expect(first.read(8) == [1, 1, 1])
        #expect(second.read(8) == [2, 2])

        // The first moves to a third socket: the first is read directly again.
        let third = try SocketPair()
        try one.attach(third.local)
        try first.peerSends([5, 6])
        #expect(first.read(1) == [5])
        #expect(first.unreadOnSocket == 1)
        #expect(one.unread == 0 && two.unread == 0)
    }

    @Test func aDescriptorOutOfRangeIsReadDirectly() throws {
        let socket = try AttachedSocket(nil)
        #expect(caregate_broker_socket_attach(socket.pointer, 1 << 20) == -1)
        #expect(caregate_broker_socket_attach(socket.pointer, -1) == -1)
        #expect(socket.unread == 0 && socket.unsent == 0)
    }
}

/// A socket attached for a test.
private final class AttachedSocket {
    let pointer: OpaquePointer

    init(_ fd: Int32?) throws {
        guard let pointer = caregate_broker_socket_create() else { throw LoopbackError.setup(ENOMEM) }
        self.pointer = pointer
        if let fd { try attach(fd) }
    }

    deinit { caregate_broker_socket_destroy(pointer) }

    func attach(_ fd: Int32) throws {
        guard caregate_broker_socket_attach(pointer, fd) == 0 else { throw LoopbackError.setup(EBADF) }
    }

    var unread: Int { caregate_broker_socket_unread(pointer) }
    var unsent: Int { caregate_broker_socket_unsent(pointer) }
}

/// A connected pair of Unix stream sockets: `local` is the one a client would attach, and is
/// non-blocking, as libmosquitto's is; `peer` is the broker's end.
private final class SocketPair {
    let local: Int32
    let peer: Int32
    private var localOpen = true

    init(bufferBytes: Int32 = 1 << 20) throws {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0 else { throw LoopbackError.setup(errno) }
        local = ends[0]
        peer = ends[1]
        var size = bufferBytes
        for fd in ends {
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        guard fcntl(local, F_SETFL, O_NONBLOCK) == 0, fcntl(peer, F_SETFL, O_NONBLOCK) == 0 else { throw LoopbackError.setup(errno) }
    }

    deinit {
        if localOpen { close(local) }
        close(peer)
    }

    func peerSends(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.write(peer, $0.baseAddress, $0.count) }
            guard n > 0 else { throw LoopbackError.setup(errno) }
            sent += n
        }
    }

    /// Everything the peer can read now.
    func peerReceives() -> [UInt8] {
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(peer, $0.baseAddress, $0.count) }
            guard n > 0 else { return got }
            got += buffer[..<n]
        }
    }

    /// One read(2) of `local` of at most `count` bytes; nil when it fails (errno says why).
    func read(_ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(local, $0.baseAddress, $0.count) }
        return n < 0 ? nil : Array(buffer[..<n])
    }

    /// One write(2) to `local`.
    func write(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { Glibc.write(local, $0.baseAddress, $0.count) }
    }

    /// Bytes on `local`'s socket itself, not counting any read-ahead.
    var unreadOnSocket: Int { Self.unread(local) }
    /// Bytes that have reached the peer.
    var unreadAtPeer: Int { Self.unread(peer) }

    private static func unread(_ fd: Int32) -> Int {
        var count: Int32 = 0
        return ioctl(fd, UInt(FIONREAD), &count) == 0 ? Int(count) : -1
    }

    func closeLocal() -> Int32 {
        localOpen = false
        return close(local)
    }
}


/// libmosquitto's self-wake pipe is refused: it would take a write(2) for every packet queued.
@Suite struct SelfWakePipeTests {
    @Test func aClientLeavesLibmosquittoWithoutItsSelfWakePipe() throws {
        let before = caregate_broker_socket_refused_socket_pairs()
        let client = try MQTTClient(options: ClientOptions(broker: BrokerURL(host: "127.0.0.1", port: 1), clientID: "no-self-wake"),
                                    onMessage: { _ in })
        _ = client
        #expect(caregate_broker_socket_refused_socket_pairs() > before)

        // Refused only on the thread that asks, while it asks.
        var ends: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        ends.forEach { close($0) }
        caregate_broker_socket_refuse_socket_pairs(1)
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == -1 && errno == EMFILE)
        caregate_broker_socket_refuse_socket_pairs(0)
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        ends.forEach { close($0) }
    }
}
