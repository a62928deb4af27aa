import Foundation
import MQTT

/// A mosquitto broker of our own on a free loopback port, for `caregate demo` and the tests.
/// It is stopped by its PID, never by name.
public final class LocalBroker: @unchecked Sendable {
    public let port: Int
    public let directory: String
    private let process: Process
    private let configPath: String

    /// The broker's address.
    public var url: BrokerURL { BrokerURL(host: "127.0.0.1", port: port) }

    /// The broker's log: errors and warnings, and more when `extraConfig` adds `log_type` lines.
    public let logPath: String

    /// Starts mosquitto on a free port on 127.0.0.1, with its config and log in `directory`.
    /// `extraConfig` is appended to the config (e.g. `password_file`).
    public init(directory: String, port: Int? = nil, extraConfig: String = "", anonymous: Bool = true) throws {
        self.directory = directory
        logPath = "\(directory)/mosquitto.log"
        self.port = try port ?? FreePort.find()
        configPath = "\(directory)/mosquitto.conf"
        // A QoS 1 queue bigger than mosquitto's default of 1,000 messages, which it drops past silently;
        // and no Nagle delay on what the broker sends (alerts to the nurse).
        let config = """
            listener \(self.port) 127.0.0.1
            allow_anonymous \(anonymous)
            persistence false
            max_queued_messages 1000000
            max_inflight_messages 100
            set_tcp_nodelay true
            log_dest file \(logPath)
            log_type error
            log_type warning
            \(extraConfig)

            """
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        // Started as root, mosquitto drops to its own user before it opens the log: made here,
        // writable by it, or it would log nothing.
        _ = FileManager.default.createFile(atPath: logPath, contents: nil, attributes: [.posixPermissions: 0o666])
        process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.mosquittoPath())
        process.arguments = ["-c", configPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try ChildProcess.run(process)
        try waitUntilListening()
    }

    deinit {
        stop()
    }

    /// The broker's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Stops the broker (SIGTERM to its PID) and waits for it to exit.
    public func stop() {
        ChildProcess.stop(process)
    }

    private func waitUntilListening() throws {
        for _ in 0..<200 {
            if !process.isRunning {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw LocalBrokerError("mosquitto exited at start: \(log.suffix(500))")
            }
            if FreePort.isListening(port) { return }
            usleep(25_000)
        }
        throw LocalBrokerError("mosquitto did not listen on 127.0.0.1:\(port) within 5 s")
    }

    static func mosquittoPath() throws -> String {
        for path in ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/bin/mosquitto"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw LocalBrokerError("mosquitto is not installed: run `make demo` (or apt-get install mosquitto)")
    }
}

/// The local broker could not be started.
public struct LocalBrokerError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Free loopback ports.
public enum FreePort {
    /// A TCP port on 127.0.0.1 that nothing listens on now.
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocalBrokerError("socket() failed: \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw LocalBrokerError("bind() failed: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
