import CMosquitto

/// A libmosquitto result code as a Swift error. `code` mirrors `MOSQ_ERR_*`; the message
/// comes from `mosquitto_strerror`.
public struct MQTTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `mosq_err_t` value.
    public var code: Int32
    /// What was being done when it failed, e.g. "connect to 127.0.0.1:1883".
    public var operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// libmosquitto's own text for the code.
    public var message: String { String(cString: mosquitto_strerror(code)) }

    /// Whether trying again later can help (lost or refused connections, timeouts), as opposed
    /// to a mistake in the configuration (bad TLS files, invalid arguments).
    public var isRetryable: Bool {
        switch code {
        case Int32(MOSQ_ERR_NO_CONN.rawValue), Int32(MOSQ_ERR_CONN_LOST.rawValue),
             Int32(MOSQ_ERR_CONN_REFUSED.rawValue), Int32(MOSQ_ERR_ERRNO.rawValue),
             Int32(MOSQ_ERR_EAI.rawValue), Int32(MOSQ_ERR_KEEPALIVE.rawValue),
             Int32(MOSQ_ERR_TIMEOUT.rawValue), Int32(MOSQ_ERR_NOMEM.rawValue):
            true
        default:
            false
        }
    }

    public var description: String { "MQTT \(operation) failed: \(message)" }

    /// Throws unless `rc` is `MOSQ_ERR_SUCCESS`.
    static func check(_ rc: Int32, _ operation: @autoclosure () -> String) throws(MQTTError) {
        if rc != Int32(MOSQ_ERR_SUCCESS.rawValue) {
            throw MQTTError(code: rc, operation: operation())
        }
    }
}
