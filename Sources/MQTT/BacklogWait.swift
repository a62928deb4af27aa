/// How long the network thread waits for the broker before it reads again.
///
/// A thread that reads faster than the broker sends wakes for a message or two, and on a small
/// VM a wake-up, a read and a write of the PUBACKs cost more than handling the messages. So while
/// a backlog streams in (at least `backlogBytes` were read since the thread last waited) it waits
/// until `backlogBytes` have arrived (`SO_RCVLOWAT`) or `patienceMillis` have passed, and one
/// read brings dozens of messages. Otherwise it wakes for the first byte: a message alone, an
/// alert's reading, is never kept waiting. The low-water mark stays below what the broker sends
/// unacknowledged (its in-flight window, 100 messages for the station's broker), and every PUBACK
/// has left before the thread waits, so the broker is never waiting on the gateway meanwhile.
public struct BacklogWait: Sendable {
    /// About forty readings.
    public static let backlogBytes = 4_096
    /// How long the thread waits for `backlogBytes` before it reads what has come.
    public static let patienceMillis: Int32 = 1

    /// Whether the socket's low-water mark is raised now.
    public private(set) var raised = false
    private var readAtLastWait: Int

    /// For a new connection, with the bytes read from the socket so far.
    public init(bytesRead: Int) {
        readAtLastWait = bytesRead
    }

    /// Called before each wait with the bytes read from the socket so far: whether to wait for
    /// `backlogBytes` (true) or for the first byte (false).
    public mutating func waitForMore(bytesRead: Int) -> Bool {
        raised = bytesRead - readAtLastWait >= Self.backlogBytes
        readAtLastWait = bytesRead
        return raised
    }
}
