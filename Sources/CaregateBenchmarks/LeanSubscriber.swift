import Glibc

/// The receive path's floor without libmosquitto: MQTT 3.1.1 over one TCP socket, a persistent
/// session's QoS 1 PUBLISH packets taken up to 64 KiB a `recv`, and the PUBACKs of each `recv`
/// sent back with one `write`. It only counts the messages, as `mosquitto_sub` only prints
/// them; `ingest` measures it beside `mosquitto_sub` to show what a reader of our own would save.
///
/// With a low-water mark it sleeps until that many bytes wait (`SO_RCVLOWAT`) or 2 ms pass, as a
/// reader busier than this one would find a backlog; without, it wakes for whatever has come,
/// and being faster than the broker sends, that is a message or two a wake.
///
/// Not a client: no keep-alive, no reconnect, no TLS, QoS 2 ignored. A measurement, nothing more.
struct LeanSubscriber: ~Copyable {
    private let fd: Int32

    /// Connects with a persistent session (`clientID`) and waits for the CONNACK.
    init(host: String, port: Int, clientID: String) throws(BenchmarkError) {
        fd = connectedSocket(host: host, port: port)
        guard fd >= 0 else { throw .undelivered }
        // CONNECT: protocol "MQTT" level 4, no flags (a persistent session), no keep-alive.
        var body: [UInt8] = [0, 4] + Array("MQTT".utf8) + [4, 0x00, 0, 0]
        body += [UInt8(clientID.utf8.count >> 8), UInt8(clientID.utf8.count & 0xFF)] + Array(clientID.utf8)
        guard send([0x10, UInt8(body.count)] + body), let connack = receive(4), connack[0] == 0x20, connack[3] == 0 else {
            close(fd)
            throw .undelivered
        }
    }

    deinit {
        _ = send([0xE0, 0x00])  // DISCONNECT
        close(fd)
    }

    /// Subscribes the session to `filter` at QoS 1 and waits for the SUBACK.
    func subscribe(_ filter: String) throws(BenchmarkError) {
        let body: [UInt8] = [0, 1, UInt8(filter.utf8.count >> 8), UInt8(filter.utf8.count & 0xFF)] + Array(filter.utf8) + [1]
        guard send([0x82, UInt8(body.count)] + body), let suback = receive(5), suback[0] == 0x90, suback[4] == 1 else {
            throw .undelivered
        }
    }

    /// Takes `count` PUBLISH packets, acknowledging those of QoS 1; false if the broker hung up
    /// first. The low-water mark must stay below what the broker sends unacknowledged (its
    /// `max_inflight_messages` of them), or every wait runs to its 2 ms.
    func drain(_ count: Int, lowWater: Int32 = 0) -> Bool {
        var mark = lowWater
        if mark > 0 { _ = setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &mark, socklen_t(MemoryLayout<Int32>.size)) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var acknowledgements: [UInt8] = []
        var held = 0  // bytes of an incomplete packet at the buffer's start
        var taken = 0
        while taken < count {
            if lowWater > 0 {
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&entry, 1, 2)
            }
            let flags = lowWater > 0 ? Int32(MSG_DONTWAIT) : 0
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + held, $0.count - held, flags) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard n > 0 else { return false }
            let end = held + n
            var at = 0
            while let (type, flags, body, next) = Self.packet(in: buffer, from: at, to: end) {
                if type == 3 {
                    taken += 1
                    if (flags >> 1) & 3 == 1 {
                        // The packet id follows the topic.
                        let topicLength = Int(buffer[body]) << 8 | Int(buffer[body + 1])
                        acknowledgements += [0x40, 0x02, buffer[body + 2 + topicLength], buffer[body + 3 + topicLength]]
                    }
                }
                at = next
            }
            held = end - at
            if held > 0 { buffer.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + at, byteCount: held) } }
            if !acknowledgements.isEmpty {
                guard send(acknowledgements) else { return false }
                acknowledgements.removeAll(keepingCapacity: true)
            }
        }
        return true
    }

    /// The whole packet at `at`, if it has arrived: its type, flags, body offset and the next packet's offset.
    private static func packet(in buffer: [UInt8], from at: Int, to end: Int) -> (UInt8, UInt8, Int, Int)? {
        guard at + 2 <= end else { return nil }
        var length = 0
        var shift = 0
        var i = at + 1
        while true {
            guard i < end, shift <= 21 else { return nil }
            length |= Int(buffer[i] & 0x7F) << shift
            shift += 7
            i += 1
            if buffer[i - 1] & 0x80 == 0 { break }
        }
        guard i + length <= end else { return nil }
        return (buffer[at] >> 4, buffer[at] & 0x0F, i, i + length)
    }

    private func receive(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count, Int32(MSG_WAITALL)) }
        return n == count ? bytes : nil
    }

    private func send(_ bytes: [UInt8]) -> Bool { sendAll(fd, bytes) }
}
