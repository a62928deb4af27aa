import CMosquitto
import Glibc

// libmosquitto's callbacks, as named global functions: a closure literal would be inferred
// main-actor isolated in top-level code and trap on the network thread (DESIGN.md).

private func client(_ context: UnsafeMutableRawPointer?) -> MQTTClient? {
    guard let context else { return nil }
    return Unmanaged<MQTTClient>.fromOpaque(context).takeUnretainedValue()
}

func caregateOnConnect(_ mosq: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ rc: Int32) {
    guard let client = client(context) else { return }
    guard rc == 0 else {
        client.onConnection(.refused(reason: String(cString: mosquitto_connack_string(rc))))
        return
    }
    client.established.store(true, ordering: .releasing)
    let subscriptions = client.subscriptions.withLock { $0 }
    for subscription in subscriptions {
        _ = MQTTClient.subscribe(mosq, subscription.filters, subscription.qos)
    }
    client.onConnection(.connected)
}

func caregateOnDisconnect(_ mosq: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ rc: Int32) {
    // A connection the broker never accepted is reported by the network loop as a failed attempt.
    guard let client = client(context), client.established.load(ordering: .acquiring) else { return }
    let expected = rc == 0 || client.stopping.load(ordering: .relaxed)
    client.onConnection(.disconnected(expected: expected, reason: String(cString: mosquitto_strerror(rc))))
}

func caregateOnMessage(_ mosq: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ message: UnsafePointer<mosquitto_message>?) {
    guard let client = client(context), let message else { return }
    let m = message.pointee
    guard let topic = m.topic else { return }
    let payload = UnsafeRawBufferPointer(start: m.payload, count: Int(m.payloadlen))
    client.received.add(1, ordering: .relaxed)
    client.onMessage(InboundMessage(topic: topic, payload: payload, qos: m.qos, retained: m.retain))
    endReadAfterThisPacket()
}

func caregateOnPublish(_ mosq: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ mid: Int32) {
    client(context)?.acknowledged.add(1, ordering: .relaxed)
    endReadAfterThisPacket()
}

/// Makes `mosquitto_loop_read` return once the packet being handled is done, so that the network
/// loop writes what it queued (its PUBACK, an alert) before the next packet is read.
///
/// libmosquitto reads as many packets a call as it has QoS 1 messages of its own unacknowledged,
/// and stops early only when `errno` is EAGAIN after a packet. While alerts await the broker's
/// PUBACK, which in a backlog comes behind everything the broker has already queued, that was
/// hundreds of messages a call: an alert raised by the first waited for all of them, and each
/// PUBACK went in a `write(2)` of its own. Nothing after the callback sets `errno` on success
/// (freeing, queueing the PUBACK under a mutex), and the loop returns success for EAGAIN.
private func endReadAfterThisPacket() {
    errno = EAGAIN
}

func caregateOnSubscribe(_ mosq: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ mid: Int32, _ count: Int32,
                         _ granted: UnsafePointer<Int32>?) {
    guard let client = client(context) else { return }
    let qos = granted.map { Array(UnsafeBufferPointer(start: $0, count: Int(count))) } ?? []
    client.onConnection(.subscribed(grantedQoS: qos))
}
