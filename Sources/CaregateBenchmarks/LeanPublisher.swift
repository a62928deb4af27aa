import Glibc

/// A load generator's publisher that costs the machine almost nothing: MQTT 3.1.1 over one
/// blocking TCP socket, QoS 1 PUBLISH packets gathered into a buffer and sent with one `write` a
/// tick, the broker's PUBACKs read and counted once a tick.
///
/// A libmosquitto client wakes its network thread for every publish (a self-pipe write, a
/// `select`, a `write`), which at 20,000 msg/s took half a core of the two this machine has: more
/// than the gateway it measured. Real devices publish from other machines, so the benchmark's
/// publisher should take as little of the station's CPU as it can.
struct LeanPublisher: ~Copyable {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var acknowledgements = [UInt8](repeating: 0, count: 1 << 16)
    private var packetID: UInt16 = 0
    /// Bytes the broker has sent since the CONNACK: only PUBACKs, four bytes each.
    private var acknowledgementBytes = 0

    /// PUBLISH packets the broker has acknowledged so far.
    var acknowledged: Int { acknowledgementBytes / 4 }

    /// Connects to `host:port` with a clean session and waits for the CONNACK.
    init(host: String, port: Int, clientID: String) throws(BenchmarkError) {
        fd = connectedSocket(host: host, port: port)
        guard fd >= 0 else { throw .undelivered }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // CONNECT: protocol "MQTT" level 4, clean session, no keep-alive.
        var body: [UInt8] = [0, 4] + Array("MQTT".utf8) + [4, 0x02, 0, 0]
        LeanPublisher.appendString(clientID, to: &body)
        var packet: [UInt8] = [0x10]
        LeanPublisher.appendLength(body.count, to: &packet)
        packet += body
        guard send(packet) else { close(fd); throw .undelivered }
        var connack = [UInt8](repeating: 0, count: 4)
        let n = connack.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 4, Int32(MSG_WAITALL)) }
        guard n == 4, connack[0] == 0x20, connack[3] == 0 else { close(fd); throw .undelivered }
    }

    deinit { close(fd) }

    /// Adds one QoS 1 PUBLISH to the next `flush`.
    mutating func queue(topic: String, payload: some Collection<UInt8>) {
        packetID = packetID == .max ? 1 : packetID + 1
        let remaining = 2 + topic.utf8.count + 2 + payload.count
        buffer.append(0x32)
        LeanPublisher.appendLength(remaining, to: &buffer)
        LeanPublisher.appendString(topic, to: &buffer)
        buffer.append(UInt8(packetID >> 8))
        buffer.append(UInt8(packetID & 0xFF))
        buffer.append(contentsOf: payload)
    }

    /// Sends what was queued in one write and counts the PUBACKs that have arrived.
    mutating func flush() throws(BenchmarkError) {
        if !buffer.isEmpty {
            guard send(buffer) else { throw .undelivered }
            buffer.removeAll(keepingCapacity: true)
        }
        while readAcknowledgements() == acknowledgements.count {}
    }

    /// Waits until the broker has acknowledged `count` packets, or `timeoutSeconds` pass.
    mutating func waitUntilAcknowledged(_ count: Int, timeoutSeconds: Double) -> Bool {
        let deadline = nanos() + UInt64(timeoutSeconds * 1e9)
        while acknowledged < count && nanos() < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, 100) > 0 && readAcknowledgements() == 0 { return false }
        }
        return acknowledged >= count
    }

    /// Reads what the broker sent (0: it closed the connection).
    private mutating func readAcknowledgements() -> Int {
        let capacity = acknowledgements.count
        let n = acknowledgements.withUnsafeMutableBytes { recv(fd, $0.baseAddress, capacity, Int32(MSG_DONTWAIT)) }
        if n > 0 { acknowledgementBytes += n }
        return n
    }

    private func send(_ bytes: [UInt8]) -> Bool { sendAll(fd, bytes) }

    private static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        var rest = length
        repeat {
            var byte = UInt8(rest & 0x7F)
            rest >>= 7
            if rest > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while rest > 0
    }

    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        let count = text.utf8.count
        bytes.append(UInt8(count >> 8))
        bytes.append(UInt8(count & 0xFF))
        bytes.append(contentsOf: text.utf8)
    }
}

/// A TCP socket connected to `host:port` (an IPv4 address), blocking; -1 if it cannot connect.
func connectedSocket(host: String, port: Int) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return -1 }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    let connected = inet_pton(AF_INET, host, &address.sin_addr) == 1 && withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    guard connected else { close(fd); return -1 }
    return fd
}

/// Writes all of `bytes` to `fd`; false on an error.
func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
        var sent = 0
        while sent < raw.count {
            let n = write(fd, raw.baseAddress! + sent, raw.count - sent)
            if n < 0 { if errno == EINTR { continue }; return false }
            sent += n
        }
        return true
    }
}
