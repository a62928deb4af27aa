import CBrokerSocket
import Glibc

/// Coalesces the PUBACKs of a backlog into few writes and TCP segments, on a socket that keeps
/// `TCP_NODELAY` for everything else.
///
/// With `TCP_NODELAY` every PUBACK is a segment of its own, and on loopback the sender pays for
/// the receiver's side too: four of the gateway's twenty microseconds a message went there. So
/// while more of a backlog is already waiting to be read, the network thread corks the socket:
/// the PUBACKs are held in the client's memory (`CBrokerSocket`, no system call a PUBACK), or,
/// on a socket not attached there, in the kernel (`TCP_CORK`), and leave together. It uncorks,
/// which sends at once, before it could block waiting for the broker, every `flushEvery`
/// messages so that the broker's in-flight window keeps moving, and whenever something was
/// published since the last flush (an alert must not wait behind a backlog).
///
/// Used only on the client's network thread, before each packet is read.
public struct OutboundCork: Sendable {
    /// Messages read between two flushes while corked.
    public let flushEvery: Int
    /// Whether the socket is corked now.
    public private(set) var corked = false
    private var socket: Int32 = -1
    private var messagesAtFlush = 0
    private var publishedAtFlush = 0

    public init(flushEvery: Int) {
        self.flushEvery = flushEvery
    }

    /// Corks or uncorks the client's socket `fd` for the next packet, given whether a backlog is
    /// waiting to be read (`bytesWaiting`) and how many messages were received and published so far.
    public mutating func prepare(socket fd: Int32, backlog: Bool, received: Int, published: Int) {
        if fd != socket {
            // A new connection starts uncorked.
            socket = fd
            corked = false
        }
        guard fd >= 0 else { return }
        let cork = backlog && published == publishedAtFlush && received - messagesAtFlush < flushEvery
        if cork {
            if !corked { set(fd, cork: true) }
        } else {
            // Uncorking sends what waited.
            if corked { set(fd, cork: false) }
            messagesAtFlush = received
        }
    }

    /// Call after libmosquitto has read and written: once it has written everything it had
    /// queued, what was published before that round is on its way.
    public mutating func written(everything: Bool, publishedBefore: Int) {
        if !corked, everything {
            publishedAtFlush = publishedBefore
        }
    }

    private mutating func set(_ fd: Int32, cork: Bool) {
        corked = cork
        if caregate_broker_socket_hold(fd, cork ? 1 : 0) == 0 { return }
        var value: Int32 = cork ? 1 : 0
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_CORK, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Bytes received on `fd` and not yet read (0 when none, or on error).
    public static func bytesWaiting(_ fd: Int32) -> Int {
        var count: Int32 = 0
        return ioctl(fd, UInt(FIONREAD), &count) == 0 ? Int(count) : 0
    }
}
