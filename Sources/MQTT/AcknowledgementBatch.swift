/// When the PUBACKs of a backlog leave: together, in one `write(2)` for the messages that one
/// read of the socket brought, on a socket that keeps `TCP_NODELAY` for everything else.
///
/// With `TCP_NODELAY` every PUBACK is a segment of its own, and on loopback the sender pays for
/// the receiver's side too. So the network thread holds what libmosquitto writes while it handles
/// a packet (`CBrokerSocket`, no system call a PUBACK), and afterwards asks here whether to let it
/// go. It lets go when nothing more of the backlog is already in memory (so nothing is held while
/// the thread reads the socket again or waits for it), every `flushEvery` messages (so that the
/// broker's in-flight window keeps moving), and whenever something was published since the last
/// time (an alert never waits behind a backlog).
///
/// Used only on the client's network thread.
public struct AcknowledgementBatch: Sendable {
    /// Messages read between two flushes, at most.
    public let flushEvery: Int
    private var messagesAtFlush = 0
    private var publishedAtFlush = 0

    public init(flushEvery: Int) {
        self.flushEvery = flushEvery
    }

    /// Whether what is held leaves now, after a packet was handled, given whether the next
    /// packet's bytes are already in memory and how many messages were received and published so
    /// far.
    public mutating func letGo(moreBuffered: Bool, received: Int, published: Int) -> Bool {
        guard !moreBuffered || published != publishedAtFlush || received - messagesAtFlush >= flushEvery else { return false }
        messagesAtFlush = received
        publishedAtFlush = published
        return true
    }
}
