import Glibc
import MQTT
import Testing

/// The cork's decisions on a real loopback TCP connection: corked only while a backlog waits,
/// never across something published, and flushed every `flushEvery` messages.
@Suite struct OutboundCorkTests {
    @Test func corksOnlyWhileABacklogWaits() throws {
        let pair = try LoopbackPair()
        var cork = OutboundCork(flushEvery: 4)

        // Nothing to read: the network thread is about to wait, so everything must leave now.
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 0, published: 0)
        #expect(!cork.corked && pair.clientCorked == false)

        // A backlog waits: the PUBACKs of what is read next are held back.
        try pair.serverSends(64)
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 1, published: 0)
        #expect(cork.corked && pair.clientCorked == true)
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 3, published: 0)
        #expect(cork.corked)

        // Four messages since the last flush: uncorked for one round, corked again after it.
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 5, published: 0)
        #expect(!cork.corked && pair.clientCorked == false)
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 6, published: 0)
        #expect(cork.corked)

        // The backlog is read: uncorked before the thread can block.
        pair.clientDrains()
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 7, published: 0)
        #expect(!cork.corked && pair.clientCorked == false)
    }

    @Test func somethingPublishedIsNeverHeldBack() throws {
        let pair = try LoopbackPair()
        var cork = OutboundCork(flushEvery: 100)
        try pair.serverSends(64)
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 1, published: 0)
        #expect(cork.corked)

        // An alert was published: uncorked until libmosquitto has written it.
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 2, published: 1)
        #expect(!cork.corked)
        cork.written(everything: false, publishedBefore: 1)
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 3, published: 1)
        #expect(!cork.corked)
        cork.written(everything: true, publishedBefore: 1)

        // Written: the backlog may be corked again.
        cork.prepare(socket: pair.client, backlog: pair.backlog, received: 4, published: 1)
        #expect(cork.corked)
    }

    @Test func bytesWaitingCountsWhatIsUnread() throws {
        let pair = try LoopbackPair()
        #expect(OutboundCork.bytesWaiting(pair.client) == 0)
        try pair.serverSends(64)
        #expect(OutboundCork.bytesWaiting(pair.client) == 64)
        pair.clientDrains()
        #expect(OutboundCork.bytesWaiting(pair.client) == 0)
        #expect(OutboundCork.bytesWaiting(-1) == 0)
    }

    @Test func aNewConnectionStartsUncorked() throws {
        let first = try LoopbackPair()
        var cork = OutboundCork(flushEvery: 100)
        try first.serverSends(8)
        cork.prepare(socket: first.client, backlog: first.backlog, received: 1, published: 0)
        #expect(cork.corked)
        let second = try LoopbackPair()
        cork.prepare(socket: second.client, backlog: second.backlog, received: 2, published: 0)
        #expect(!cork.corked && second.clientCorked == false)
    }
}

/// A TCP connection over 127.0.0.1: `client` is the side the cork manages.
private final class LoopbackPair {
    let client: Int32
    let server: Int32

    init() throws {
        let listener = try LoopbackListener()
        defer { close(listener.fd) }
        let client = try listener.connectClient()
        let server = accept(listener.fd, nil, nil)
        guard server >= 0 else { throw LoopbackError.setup(errno) }
        self.client = client
        self.server = server
    }

    deinit {
        close(client)
        close(server)
    }

    /// What the network thread asks before each packet: whether bytes wait to be read.
    var backlog: Bool { OutboundCork.bytesWaiting(client) > 0 }

    var clientCorked: Bool {
        var value: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(client, Int32(IPPROTO_TCP), TCP_CORK, &value, &size)
        return value != 0
    }

    func serverSends(_ count: Int) throws {
        let bytes = [UInt8](repeating: 0x30, count: count)
        guard bytes.withUnsafeBytes({ send(server, $0.baseAddress, $0.count, 0) }) == count else { throw LoopbackError.setup(errno) }
        // Until the bytes are readable on the client's side.
        var entry = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, 5_000)
    }

    func clientDrains() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
    }
}
