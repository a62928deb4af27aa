import Foundation
import Synchronization
import ThreadName

/// Runs the engine's timers (escalations, silent devices) four times a second on a thread of its
/// own, and looks for a changed registry. A tick with nothing due costs one look at the earliest
/// timer and one read of the registry's change counter.
final class Ticker: Sendable {
    private let pipeline: Pipeline
    private let registry: RegistryWatcher?
    private let stopping = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(false)
    static let intervalMillis = 250

    init(pipeline: Pipeline, registry: RegistryWatcher? = nil) {
        self.pipeline = pipeline
        self.registry = registry
    }

    func start() {
        guard !running.exchange(true, ordering: .relaxed) else { return }
        Thread { [self] in
            nameCurrentThread("caregate-ticker")
            while stopping.wait(timeout: .now() + .milliseconds(Self.intervalMillis)) == .timedOut {
                pipeline.tick()
                registry?.check()
            }
            stopped.signal()
        }.start()
    }

    /// Stops the thread and waits for it.
    func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        stopping.signal()
        stopped.wait()
    }
}
