/// Where the dashboard listens: `HOST:PORT`, `:PORT` (loopback) or `[IPv6]:PORT`; port 0 takes any free port.
public struct DashboardAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    /// The default: loopback, port 8765.
    public static let standard = DashboardAddress(host: "127.0.0.1", port: 8765)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text`; nil when it is not `HOST:PORT` with a port in 0…65535.
    public init?(_ text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard let port = Int(portPart), (0...65535).contains(port) else { return nil }
        host = hostPart.isEmpty ? "127.0.0.1" : String(hostPart)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether only this machine can reach `host`.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    public var isLoopback: Bool { Self.isLoopback(host) }
}
