import Foundation

/// Who sent a message to the coordinator: the ROUTER's routing identity of the connection and, with CURVE,
/// the public key (Z85) the ZAP handler let in. A lease is bound to the key that took it.
public struct Peer: Hashable, Sendable, CustomStringConvertible {
    public var identity: Data
    public var key: String?

    public init(identity: Data, key: String? = nil) {
        self.identity = identity
        self.key = key
    }

    /// `peer 3f2a…` (and `key AbC…`): for logs.
    public var description: String {
        let hex = identity.prefix(8).map { String(format: "%02x", $0) }.joined()
        return "peer \(hex)" + (key.map { ", key \($0.prefix(12))…" } ?? "")
    }
}
