import Foundation

/// Starting child processes (mosquitto for the demo, the gateway in tests) so that they can be
/// stopped: a child inherits the spawning thread's blocked signals, and test runners and
/// dispatch threads block SIGTERM, which would leave the child deaf to it.
public enum ChildProcess {
    /// Runs `process` with SIGTERM, SIGINT and SIGHUP unblocked in the spawning thread.
    public static func run(_ process: Process) throws {
        var unblock = sigset_t()
        var previous = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
    }

    /// SIGTERM, then SIGKILL if the process has not exited after `graceSeconds`.
    public static func stop(_ process: Process, graceSeconds: Double = 10) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date(timeIntervalSinceNow: graceSeconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
