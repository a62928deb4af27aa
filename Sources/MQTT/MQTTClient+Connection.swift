import CMosquitto
import CBrokerSocket
import Glibc
import Synchronization

/// The network thread's work on one connection: libmosquitto's read, write and keep-alive steps
/// driven by a loop of the client's own instead of `mosquitto_loop`, so that a message costs
/// libmosquitto's reads and its PUBACK and little else.
extension MQTTClient {
    /// One connection, until it ends.
    ///
    /// Until the broker accepts it, libmosquitto's own `mosquitto_loop` runs it (the TLS
    /// handshake, the CONNACK). Then the thread waits in `poll` on the socket and on its wake-up
    /// pipe, and reads what has arrived one packet a call while `FIONREAD` says bytes wait (in a
    /// deep backlog, while packets come, asking once it ends), writing what each packet queued: no
    /// `select` a message. libmosquitto has no self-wake pipe (its socket pair is refused when it
    /// is created and connects, so it writes no byte to one a packet); other threads wake this one
    /// through a pipe of its own. The PUBACKs of a backlog are held and leave together
    /// (`OutboundCork`). libmosquitto's three small reads a packet are served from a read-ahead
    /// buffer (`CBrokerSocket`), so the socket is read once for many messages, and what the buffer
    /// holds counts as waiting.
    func runConnection() -> Int32 {
        while !established.load(ordering: .acquiring) {
            let rc = mosquitto_loop(handle, 100, 1)
            guard rc == Self.success else { return rc }
        }
        // From here on only this loop reads the socket, and it asks the buffer before it waits.
        _ = caregate_broker_socket_attach(brokerSocket, mosquitto_socket(handle))
        var cork = OutboundCork(flushEvery: options.acknowledgementBatch)
        var readable = true
        while true {
            let fd = mosquitto_socket(handle)
            guard fd >= 0 else { return Int32(MOSQ_ERR_NO_CONN.rawValue) }
            if readable {
                let rc = readWhatWaits(fd, &cork)
                guard rc == Self.success else { return rc }
            }
            // Nothing more to read now: what is queued leaves, uncorked, before the thread waits.
            let rc = step(fd, &cork, backlog: false) { writeQueued(afterKeepAlive: true, fd) }
            guard rc == Self.success else { return rc }
            guard let socketReady = waitForBrokerOrWake(fd) else { return Int32(MOSQ_ERR_ERRNO.rawValue) }
            readable = socketReady
        }
    }

    static let success = Int32(MOSQ_ERR_SUCCESS.rawValue)

    /// A FIONREAD at least this large means a backlog of several messages (a reading is about a
    /// hundred bytes): read on without asking again until a read gives nothing.
    static let deepBacklogBytes = 1024

    /// Reads packets while bytes wait, writing what each queued (its PUBACK, an alert).
    private func readWhatWaits(_ fd: Int32, _ cork: inout OutboundCork) -> Int32 {
        var reads = 0
        // Whether the last FIONREAD showed a backlog of several messages: while it lasts, the
        // PUBACKs are corked and a read that gave a packet is followed by the next at once,
        // without asking.
        var deepBacklog = false
        while true {
            let seenBefore = packetsSeen
            reads &+= 1
            // A backlog that never ends must not starve the keep-alive.
            if reads & 4095 == 0 {
                let rc = mosquitto_loop_misc(handle)
                guard rc == Self.success else { return rc }
            }
            // Corked only in a deep backlog: a message or two alone would pay a cork and an
            // uncork for nothing.
            let rc = step(fd, &cork, backlog: deepBacklog) {
                let rc = mosquitto_loop_read(handle, 1)
                return rc == Self.success ? writeQueued(afterKeepAlive: false, fd) : rc
            }
            guard rc == Self.success else { return rc }
            if deepBacklog && packetsSeen > seenBefore { continue }
            let waiting = bytesWaiting(fd)
            if waiting == 0 { return Self.success }
            deepBacklog = waiting >= Self.deepBacklogBytes
        }
    }

    /// Bytes that have arrived and libmosquitto has not read: in the read-ahead buffer, or, once
    /// that is empty, on the socket.
    private func bytesWaiting(_ fd: Int32) -> Int {
        let buffered = caregate_broker_socket_unread(brokerSocket)
        return buffered > 0 ? buffered : OutboundCork.bytesWaiting(fd)
    }

    /// One round of libmosquitto's work (`body`), with the socket corked for it or not, and what
    /// was published before it noted as on its way once everything is written.
    private func step(_ fd: Int32, _ cork: inout OutboundCork, backlog: Bool, _ body: () -> Int32) -> Int32 {
        let publishedBefore = published.load(ordering: .relaxed)
        cork.prepare(socket: fd, backlog: backlog, received: received.load(ordering: .relaxed), published: publishedBefore)
        let rc = body()
        if rc == Self.success { cork.written(everything: !mosquitto_want_write(handle), publishedBefore: publishedBefore) }
        return rc
    }

    /// Writes what libmosquitto has queued, after its keep-alive step if asked (which may queue
    /// a PINGREQ); an error, or a socket that closed (after a DISCONNECT), ends the connection.
    private func writeQueued(afterKeepAlive keepAlive: Bool, _ fd: Int32) -> Int32 {
        var rc = keepAlive ? mosquitto_loop_misc(handle) : Self.success
        if rc == Self.success && mosquitto_want_write(handle) { rc = mosquitto_loop_write(handle, 1) }
        guard rc == Self.success else { return rc }
        return mosquitto_socket(handle) == fd ? Self.success : Int32(MOSQ_ERR_NO_CONN.rawValue)
    }

    /// Waits for the broker, for a write that would not go, or for another thread; at most a
    /// second, so that the keep-alive is kept. Returns whether the socket has something to read
    /// (or has closed); nil when `poll` failed.
    private func waitForBrokerOrWake(_ fd: Int32) -> Bool? {
        // Bytes in the buffer would not wake `poll`.
        if caregate_broker_socket_unread(brokerSocket) > 0 { return true }
        pollWaiting.store(true, ordering: .sequentiallyConsistent)
        // libmosquitto reads its queue without an atomic: fence so the read cannot move above.
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        // What the socket would not take when the PUBACKs were let go: again now, and wait for room.
        if caregate_broker_socket_unsent(brokerSocket) > 0 { _ = caregate_broker_socket_hold(fd, 0) }
        let writing = mosquitto_want_write(handle) || caregate_broker_socket_unsent(brokerSocket) > 0
        var waits = [pollfd(fd: fd, events: Int16(POLLIN) | (writing ? Int16(POLLOUT) : 0), revents: 0),
                     pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)]
        let n = poll(&waits, 2, 1000)
        pollWaiting.store(false, ordering: .relaxed)
        if n < 0 && errno != EINTR { return nil }
        if waits[1].revents != 0 {
            var drained = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            _ = withUnsafeMutableBytes(of: &drained) { read(wakePipe.read, $0.baseAddress, $0.count) }
        }
        return waits[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0
    }

    /// Messages and acknowledgements read so far (callbacks run on the network thread).
    private var packetsSeen: Int {
        received.load(ordering: .relaxed) &+ acknowledged.load(ordering: .relaxed)
    }

    /// Wakes the network thread, if it waits, to write what another thread queued (a publish, a
    /// subscription, the disconnect). A busy network thread writes it before it waits, and a
    /// publish from `onMessage` is made on the network thread itself: neither costs a write.
    func wakeFromOtherThread() {
        guard pollWaiting.load(ordering: .sequentiallyConsistent) else { return }
        var byte: UInt8 = 1
        _ = write(wakePipe.write, &byte, 1)
    }
}
