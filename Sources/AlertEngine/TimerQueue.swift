/// The engine's timers, earliest first: escalation deadlines and silent-device checks. A binary
/// heap: pushing and taking the earliest cost log n, and nothing is ever scanned.
///
/// Entries are not removed when their alert is acknowledged or their device speaks; the engine
/// checks an entry against the current state when it comes due and drops it if stale.
struct TimerQueue: Sendable {
    struct Entry: Sendable {
        var due: Int64
        /// The device whose silence to check, or -1.
        var device: Int32 = -1
        /// The alert to escalate, or nil.
        var alert: String?

        init(due: Int64, device: Int32) {
            self.due = due
            self.device = device
        }

        init(due: Int64, alert: String) {
            self.due = due
            self.alert = alert
        }
    }

    private var heap: [Entry] = []


    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Takes the earliest entry if it is due at `now`.
    mutating func popDue(now: Int64) -> Entry? {
        guard let first = heap.first, first.due <= now else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            var child = left
            if left + 1 < heap.count && heap[left + 1].due < heap[left].due { child = left + 1 }
            guard heap[child].due < heap[parent].due else { break }
            heap.swapAt(child, parent)
            parent = child
        }
        return first
    }
}
