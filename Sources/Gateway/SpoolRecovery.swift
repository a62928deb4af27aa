import DeviceProfiles
import Storage
import Telemetry

/// Stores again what an earlier run left in the spool: the messages it acknowledged to the broker
/// and the alert events it published, but had not yet committed when it stopped. Stored rows are
/// keyed, so what was already committed is not stored twice.
enum SpoolRecovery {
    /// Submits every record to `writer` and waits for the commit; returns how many messages it replayed.
    static func replay(_ bodies: [[UInt8]], profiles: ProfileSet, registry: Registry, into writer: StoreWriter) -> (messages: Int, damaged: Int) {
        var messages = 0
        var damaged = 0
        for body in bodies {
            guard let record = SpoolRecord(body) else {
                damaged += 1
                continue
            }
            messages += 1
            if !record.topic.isEmpty {
                record.payload.withUnsafeBytes { payload in
                    var decoded = DecodedMessage(topic: record.topic, payload: payload, arrival: record.arrival, profiles: profiles)
                    _ = decoded.attribute(registry)
                    decoded.storeItems(arrival: record.arrival, topic: record.topic, payload: payload) { writer.submit($0) }
                }
            }
            for alert in record.alerts {
                writer.submit(.alertEvent(json: String(decoding: alert.json, as: UTF8.self), number: alert.number,
                                          cause: alert.cause, closes: alert.closes))
            }
        }
        writer.flush()
        return (messages, damaged)
    }
}
