import Foundation

/// Progress for a person watching: a bar redrawn in place on a terminal, a plain line every
/// tenth of the way otherwise (a log file or CI).
struct Progress {
    let total: Int64
    let label: String
    let isTerminal = isatty(STDOUT_FILENO) == 1
    private var lastDrawn: UInt64 = 0
    private var lastTenth = -1

    init(total: Int64, label: String) {
        self.total = max(1, total)
        self.label = label
    }

    /// `done` of `total` (scenario ms), with a short status after the bar.
    mutating func update(_ done: Int64, _ status: @autoclosure () -> String) {
        let fraction = min(1, Double(done) / Double(total))
        if isTerminal {
            let now = Monotonic.nanos()
            guard now - lastDrawn > 100_000_000 || done >= total else { return }
            lastDrawn = now
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            print("\r\(label) \(bar) \(String(format: "%3d%%", Int(fraction * 100)))  \(status())\u{1B}[K", terminator: "")
            fflush(nil)
        } else {
            let tenth = Int(fraction * 10)
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            print("\(label) \(tenth * 10)%  \(status())")
            fflush(nil)
        }
    }

    /// Ends the bar's line.
    func finish() {
        if isTerminal { print("") }
    }
}
