import CaregateTesting
import Foundation
import Glibc
import MQTT
import Synchronization
import Testing

/// The client's network loop against a scripted peer, where the order and grouping of what the
/// broker sends must be exact; the real broker cannot be made to put a backlog into one TCP
/// segment.
@Suite struct NetworkLoopTests {
    /// Messages that arrived together and sit in the read-ahead buffer, not on the socket, are
    /// all delivered, though nothing more arrives to wake `poll`, and every PUBACK held back in
    /// the backlog reaches the broker, sixteen to a write.
    @Test func aBacklogThatArrivesInOneWriteIsDeliveredAndAcknowledgedToItsLastMessage() throws {
        let peer = try ScriptedBroker(messages: 50)
        let payloads = Mutex<[String]>([])
        let client = try MQTTClient(
            options: ClientOptions(broker: BrokerURL(host: "127.0.0.1", port: peer.port), clientID: "broker-socket-test", cleanSession: true),
            onMessage: { message in
                let text = String(decoding: message.payload, as: UTF8.self)
                payloads.withLock { $0.append(text) }
            })
        try client.start()
        defer { client.stop() }
        let delivered = Waiting.until(timeoutSeconds: 5) { payloads.withLock { $0.count } == 50 }
        #expect(delivered, "delivered \(payloads.withLock { $0.count }) of 50")
        #expect(payloads.withLock { $0 } == (1...50).map { "message \($0)" })
        #expect(peer.acknowledgedIDs(expecting: 50) == Array(1...50))
        // The CONNECT went before the socket was attached; then 16, 16, 16 and 2 PUBACKs.
        #expect(client.socketWrites == 4)
    }

    /// An alert published while a message is handled reaches the broker before the next message
    /// of the backlog is handled, though earlier alerts still await their PUBACK (which, from a
    /// real broker in a backlog, comes behind everything it has already queued). libmosquitto
    /// reads as many packets a call as it has messages of its own unacknowledged, so without the
    /// loop's care the alert of the third message waited for the fourth, and so on.
    @Test func anAlertLeavesBeforeTheNextMessageOfABacklogIsHandled() throws {
        let messages = 8
        let peer = try ScriptedBroker(messages: messages)
        let client = Mutex<MQTTClient?>(nil)
        let handled = Atomic<Int>(0)
        // The messages in whose handling the alert of the one before had not reached the peer.
        let late = Mutex<[Int]>([])
        let subscriber = try MQTTClient(
            options: ClientOptions(broker: BrokerURL(host: "127.0.0.1", port: peer.port), clientID: "alert-order-test", cleanSession: true),
            onMessage: { _ in
                let n = handled.add(1, ordering: .relaxed).newValue
                if n > 1 && !peer.waitForPublishes(n - 1, timeoutSeconds: 2) { late.withLock { $0.append(n) } }
                try? client.withLock { $0 }?.publish("care/st01/alerts", payload: Array("alert \(n)".utf8), qos: 1)
            })
        client.withLock { $0 = subscriber }
        try subscriber.start()
        defer { subscriber.stop() }
        #expect(Waiting.until(timeoutSeconds: 30) { handled.load(ordering: .relaxed) == messages })
        #expect(late.withLock { $0 } == [], "the alert before these messages had not left when they were handled")
        #expect(peer.waitForPublishes(messages, timeoutSeconds: 5))
        #expect(peer.acknowledgedIDs(expecting: messages) == Array(1...messages))
    }
}

/// A packet the client sent to the scripted peer.
private enum ClientPacket: Equatable {
    case publish
    case acknowledgement(id: Int)
    case other(type: UInt8)
}

/// A peer on 127.0.0.1 that speaks just enough MQTT 3.1.1 for one connection: CONNACK, then
/// `messages` QoS 1 PUBLISHes to `care/st01/dev/bp` with packet ids 1, 2, …, all in one write;
/// then it reads what the client sends, and acknowledges none of the client's own PUBLISHes.
private final class ScriptedBroker: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let connection = Atomic<Int32>(-1)
    private let sent = DispatchSemaphore(value: 0)
    /// What the client has sent after its CONNECT, and not yet parsed into `packets`.
    private let inbound = Mutex<(bytes: [UInt8], packets: [ClientPacket])>(([], []))

    init(messages: Int) throws {
        let loopback = try LoopbackListener()
        let listener = loopback.fd
        self.listener = listener
        port = loopback.port
        var script: [UInt8] = [0x20, 0x02, 0x00, 0x00]
        let topic = Array("care/st01/dev/bp".utf8)
        for id in 1...messages {
            let body = Array("message \(id)".utf8)
            script += [0x32, UInt8(2 + topic.count + 2 + body.count), 0x00, UInt8(topic.count)] + topic
            script += [UInt8(id >> 8), UInt8(id & 0xFF)] + body
        }
        let bytes = script
        Thread { [self] in
            let fd = accept(listener, nil, nil)
            connection.store(fd, ordering: .releasing)
            // The CONNECT, whatever it holds; then everything at once.
            var connect = [UInt8](repeating: 0, count: 512)
            _ = connect.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            sent.signal()
        }.start()
    }

    /// The packet ids of the PUBACKs that arrive within five seconds, until `count` have.
    func acknowledgedIDs(expecting count: Int) -> [Int] {
        let packets = received(timeoutSeconds: 5) { $0.count { if case .acknowledgement = $0 { true } else { false } } >= count }
        return packets.compactMap { if case .acknowledgement(let id) = $0 { id } else { nil } }
    }

    /// Whether the client has sent `count` PUBLISHes within `timeoutSeconds`.
    func waitForPublishes(_ count: Int, timeoutSeconds: Double) -> Bool {
        received(timeoutSeconds: timeoutSeconds) { $0.count { $0 == .publish } >= count }.count { $0 == .publish } >= count
    }

    /// Reads what the client sends until `enough` holds of all its packets so far, or
    /// `timeoutSeconds` pass; returns them.
    private func received(timeoutSeconds: Double, until enough: ([ClientPacket]) -> Bool) -> [ClientPacket] {
        guard sent.wait(timeout: .now() + 5) == .success else { return [] }
        // For the next wait.
        sent.signal()
        let fd = connection.load(ordering: .acquiring)
        return inbound.withLock { inbound in
            var buffer = [UInt8](repeating: 0, count: 4096)
            Waiting.until(timeoutSeconds: timeoutSeconds) {
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&entry, 1, 10) > 0 {
                    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                    if n > 0 { inbound.bytes += buffer[..<n] }
                }
                Self.parse(&inbound.bytes, into: &inbound.packets)
                return enough(inbound.packets)
            }
            return inbound.packets
        }
    }

    /// Moves the whole packets at the front of `bytes` to `packets`.
    private static func parse(_ bytes: inout [UInt8], into packets: inout [ClientPacket]) {
        while bytes.count >= 2 {
            var length = 0, shift = 0, at = 1
            while at < bytes.count {
                length |= Int(bytes[at] & 0x7F) << shift
                shift += 7
                at += 1
                if bytes[at - 1] & 0x80 == 0 { break }
            }
            guard bytes[at - 1] & 0x80 == 0, bytes.count >= at + length else { return }
            switch bytes[0] >> 4 {
            case 3: packets.append(.publish)
            case 4 where length == 2: packets.append(.acknowledgement(id: Int(bytes[at]) << 8 | Int(bytes[at + 1])))
            default: packets.append(.other(type: bytes[0] >> 4))
            }
            bytes.removeFirst(at + length)
        }
    }

    deinit {
        _ = sent.wait(timeout: .now() + 5)
        let fd = connection.load(ordering: .acquiring)
        if fd >= 0 { close(fd) }
        close(listener)
    }
}
