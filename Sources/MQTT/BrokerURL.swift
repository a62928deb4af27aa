/// A broker address given as `mqtt://HOST:PORT` (plain TCP, default port 1883) or
/// `mqtts://HOST:PORT` (TLS, default port 8883); IPv6 as `mqtt://[::1]:1883`.
public struct BrokerURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var usesTLS: Bool

    public init(host: String, port: Int, usesTLS: Bool = false) {
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    /// Parses `mqtt://HOST[:PORT]` or `mqtts://HOST[:PORT]`; nil when it is neither.
    public init?(_ text: String) {
        let tls: Bool
        let rest: Substring
        if text.hasPrefix("mqtt://") {
            tls = false
            rest = text.dropFirst("mqtt://".count)
        } else if text.hasPrefix("mqtts://") {
            tls = true
            rest = text.dropFirst("mqtts://".count)
        } else {
            return nil
        }
        let hostPort = rest.hasSuffix("/") ? rest.dropLast() : rest
        // Credentials belong in the config file, not the URL; an IPv6 address needs brackets.
        guard !hostPort.contains("@") else { return nil }
        if !hostPort.hasPrefix("["), hostPort.filter({ $0 == ":" }).count > 1 { return nil }
        var host = hostPort
        var port = tls ? 8883 : 1883
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = hostPort[..<colon]
            guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            port = p
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, !host.contains("/") else { return nil }
        self.init(host: String(host), port: port, usesTLS: tls)
    }

    public var description: String { "\(usesTLS ? "mqtts" : "mqtt")://\(host):\(port)" }
}
