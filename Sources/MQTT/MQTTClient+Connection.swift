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
    /// pipe (for the first byte, or, while a backlog streams in, for a few kilobytes:
    /// `BacklogWait`), and reads what one read of the socket brought, one packet a call, writing
    /// what each packet queued (its PUBACK, an alert): no `select` a message. libmosquitto's three
    /// small reads a packet are served from a read-ahead buffer (`CBrokerSocket`), so the socket
    /// is read once for many messages, and what the buffer holds counts as arrived. What each
    /// packet queued is held in memory and leaves when `AcknowledgementBatch` says, so the PUBACKs
    /// of the messages one read brought leave in one write. libmosquitto has no self-wake pipe
    /// (its socket pair is refused when it is created and connects, so it writes no byte to one a
    /// packet); other threads wake this one through a pipe of its own.
    func runConnection() -> Int32 {
        while !established.load(ordering: .acquiring) {
            let rc = mosquitto_loop(handle, 100, 1)
            guard rc == Self.success else { return rc }
        }
        // From here on only this loop reads the socket, and it asks the buffer before it waits.
        _ = caregate_broker_socket_attach(brokerSocket, mosquitto_socket(handle))
        var batch = AcknowledgementBatch(flushEvery: options.acknowledgementBatch)
        var backlog = BacklogWait(bytesRead: Int(caregate_broker_socket_bytes_read(brokerSocket)))
        var readable = true
        while true {
            let fd = mosquitto_socket(handle)
            guard fd >= 0 else { return Int32(MOSQ_ERR_NO_CONN.rawValue) }
            if readable {
                let rc = readWhatWaits(fd, &batch)
                guard rc == Self.success else { return rc }
            }
            // Nothing more to read now: the keep-alive, and what other threads queued.
            let rc = step(fd, &batch) { writeQueued(afterKeepAlive: true, fd) }
            guard rc == Self.success else { return rc }
            guard let socketReady = waitForBrokerOrWake(fd, &backlog) else { return Int32(MOSQ_ERR_ERRNO.rawValue) }
            readable = socketReady
        }
    }

    static let success = Int32(MOSQ_ERR_SUCCESS.rawValue)

    /// Reads what one read of the socket brings, a packet at a time, writing what each queued
    /// (its PUBACK, an alert), until the read-ahead buffer is empty; the rest of a packet read
    /// only in part waits for the next wake.
    private func readWhatWaits(_ fd: Int32, _ batch: inout AcknowledgementBatch) -> Int32 {
        var reads = 0
        repeat {
            reads &+= 1
            // A packet that straddles two reads keeps this going: the keep-alive must not starve.
            if reads & 4095 == 0 {
                let rc = mosquitto_loop_misc(handle)
                guard rc == Self.success else { return rc }
            }
            // One packet a call: the message callback ends libmosquitto's read after its packet.
            let rc = step(fd, &batch) {
                let rc = mosquitto_loop_read(handle, 1)
                return rc == Self.success ? writeQueued(afterKeepAlive: false, fd) : rc
            }
            guard rc == Self.success else { return rc }
        } while caregate_broker_socket_unread(brokerSocket) > 0
        return Self.success
    }

    /// One round of libmosquitto's work (`body`), what it writes held in memory, and let go
    /// unless more of the backlog is already in memory (`AcknowledgementBatch`).
    private func step(_ fd: Int32, _ batch: inout AcknowledgementBatch, _ body: () -> Int32) -> Int32 {
        _ = caregate_broker_socket_hold(fd, 1)
        let rc = body()
        let moreBuffered = rc == Self.success && caregate_broker_socket_unread(brokerSocket) > 0
        if batch.letGo(moreBuffered: moreBuffered, received: received.load(ordering: .relaxed), published: published.load(ordering: .relaxed)) {
            _ = caregate_broker_socket_hold(fd, 0)
        }
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
    /// second, so that the keep-alive is kept, or, while a backlog streams in, until a few
    /// kilobytes have come (`BacklogWait`). Returns whether the socket has something to read (or
    /// has closed); nil when `poll` failed.
    private func waitForBrokerOrWake(_ fd: Int32, _ backlog: inout BacklogWait) -> Bool? {
        // Bytes in the buffer would not wake `poll`.
        if caregate_broker_socket_unread(brokerSocket) > 0 { return true }
        let wasRaised = backlog.raised
        let forMore = backlog.waitForMore(bytesRead: Int(caregate_broker_socket_bytes_read(brokerSocket)))
        if forMore != wasRaised {
            var lowWater = forMore ? Int32(BacklogWait.backlogBytes) : 1
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowWater, socklen_t(MemoryLayout<Int32>.size))
        }
        pollWaiting.store(true, ordering: .sequentiallyConsistent)
        // libmosquitto reads its queue without an atomic: fence so the read cannot move above.
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        // What the socket would not take when the PUBACKs were let go: again now, and wait for room.
        if caregate_broker_socket_unsent(brokerSocket) > 0 { _ = caregate_broker_socket_hold(fd, 0) }
        let writing = mosquitto_want_write(handle) || caregate_broker_socket_unsent(brokerSocket) > 0
        var waits = [pollfd(fd: fd, events: Int16(POLLIN) | (writing ? Int16(POLLOUT) : 0), revents: 0),
                     pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)]
        let n = poll(&waits, 2, forMore ? BacklogWait.patienceMillis : 1000)
        pollWaiting.store(false, ordering: .relaxed)
        if n < 0 && errno != EINTR { return nil }
        if waits[1].revents != 0 {
            var drained = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            _ = withUnsafeMutableBytes(of: &drained) { read(wakePipe.read, $0.baseAddress, $0.count) }
        }
        // Out of patience: what has come of the backlog is read now.
        if forMore && n == 0 { return true }
        return waits[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0
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
