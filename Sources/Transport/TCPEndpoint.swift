/// A `tcp://HOST:PORT` endpoint taken apart. libzmq resolves host names only when connecting (on bind,
/// `localhost` would be taken for a network interface) and speaks IPv6 only with `ZMQ_IPV6` set, so
/// `Socket.bind` and `Socket.connect` look at the host first.
public struct TCPEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The host as written, without the brackets of an IPv6 address: `127.0.0.1`, `::1`, `localhost`, `*`,
    /// a host or interface name.
    public let host: String
    /// The port as written: digits, or `*` for any free port (bind only).
    public let port: String

    public init(host: String, port: String) {
        self.host = host
        self.port = port
    }

    /// `endpoint` taken apart; nil when it is not `tcp://HOST:PORT` with a non-empty host and port (another
    /// transport, no port, or a source address as in `tcp://SOURCE;HOST:PORT`, which is passed on as it is).
    public init?(_ endpoint: String) {
        guard endpoint.hasPrefix("tcp://"), !endpoint.contains(";") else { return nil }
        let address = endpoint.dropFirst("tcp://".count)
        guard let colon = address.lastIndex(of: ":") else { return nil }
        var host = address[..<colon]
        let port = address[address.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
            // A bracketed host is an IPv6 address.
            guard host.contains(":") else { return nil }
        } else if host.contains(":") {
            return nil
        }
        guard !host.isEmpty, !port.isEmpty else { return nil }
        self.init(host: String(host), port: String(port))
    }

    /// `tcp://HOST:PORT`, with an IPv6 address in brackets.
    public var description: String {
        "tcp://" + (isIPv6 ? "[\(host)]" : host) + ":" + port
    }

    /// Whether the host is an IPv6 address (the socket needs `ZMQ_IPV6`).
    public var isIPv6: Bool { host.contains(":") }

    /// Whether the host is `localhost`, which a bind turns into the loopback addresses.
    public var isLocalhost: Bool { host.lowercased() == "localhost" }

    /// Whether only this machine can reach the host: `localhost`, `127.x.y.z` or `::1`.
    public var isLoopback: Bool {
        if isLocalhost || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }

    /// This endpoint with another host (e.g. `localhost` replaced by an address).
    public func with(host: String) -> TCPEndpoint {
        TCPEndpoint(host: host, port: port)
    }

    /// This endpoint with another port (e.g. `*` replaced by the port a bind chose).
    public func with(port: String) -> TCPEndpoint {
        TCPEndpoint(host: host, port: port)
    }
}
