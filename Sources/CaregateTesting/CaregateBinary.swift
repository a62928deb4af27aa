import Foundation
import Gateway

/// The real `caregate` executable, built next to the test bundle, run as a station operator would.
public enum CaregateBinary {
    /// Where the executable is: the folder of the running test binary.
    public static var path: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary may sit inside an .xctest bundle folder.
        while dir.path.hasSuffix(".xctest") || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("caregate").path
    }

    /// The `caregate-sim` executable, beside `caregate`.
    public static var simulatorPath: String {
        URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("caregate-sim").path
    }

    /// What a finished command printed and returned.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Standard output split into lines, without the empty last one.
        public var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Runs `caregate ARGS` (or another executable built beside it) to completion.
    public static func run(_ arguments: [String], executable: String = path) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try ChildProcess.run(process)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// `caregate run` as a background process, stopped by its PID.
public final class RunningGateway: @unchecked Sendable {
    public let process = Process()
    public let logPath: String

    /// Starts `caregate run ARGS`, its standard error going to `logPath`.
    public init(_ arguments: [String], logPath: String) throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: CaregateBinary.path)
        process.arguments = ["run"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try ChildProcess.run(process)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    /// What the gateway has logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the log contains `text`, up to `timeoutSeconds`.
    @discardableResult
    public func waitForLog(_ text: String, timeoutSeconds: Double = 10) -> Bool {
        Waiting.until(timeoutSeconds: timeoutSeconds) { self.log.contains(text) }
    }

    /// SIGTERM, as systemd stops the service; returns the exit status.
    @discardableResult
    public func terminate() -> Int32 {
        ChildProcess.stop(process, graceSeconds: 20)
        return process.terminationStatus
    }

    /// SIGHUP, as `systemctl reload` sends it: the gateway reads its rules file again.
    public func reload() {
        kill(process.processIdentifier, SIGHUP)
    }

    /// SIGKILL: a crash, with no chance to flush anything.
    public func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Waiting on an event, never on the clock alone: polls `condition` until it holds or time runs out.
public enum Waiting {
    @discardableResult
    public static func until(timeoutSeconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}
