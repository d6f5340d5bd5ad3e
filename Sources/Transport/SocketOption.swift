import CZeroMQ
import Foundation

/// A libzmq socket option whose value is a `Value`, read and written with `Socket.get(_:)` and
/// `Socket.set(_:_:)`. Durations are in milliseconds, as libzmq takes them.
public struct SocketOption<Value>: Sendable, CustomStringConvertible {
    /// The `ZMQ_*` option number.
    let code: Int32
    /// The `ZMQ_*` name, for errors.
    public let name: String
    /// For text and bytes, the buffer `zmq_getsockopt` reads into.
    let readCapacity: Int
    /// A CURVE option, refused up front when libzmq has no CURVE.
    let needsCurve: Bool

    init(_ code: Int32, _ name: String, readCapacity: Int = 0, needsCurve: Bool = false) {
        self.code = code
        self.name = name
        self.readCapacity = readCapacity
        self.needsCurve = needsCurve
    }

    public var description: String { name }
}

extension SocketOption where Value == Int32 {
    /// `ZMQ_LINGER`: how long, in ms, unsent messages are kept after close; -1 forever, 0 none.
    public static var linger: Self { .init(ZMQ_LINGER, "ZMQ_LINGER") }
    /// `ZMQ_SNDHWM`: how many outgoing messages are queued per peer before sending blocks or drops; 0 is no limit.
    public static var sendHighWaterMark: Self { .init(ZMQ_SNDHWM, "ZMQ_SNDHWM") }
    /// `ZMQ_RCVHWM`: how many incoming messages are queued per peer; 0 is no limit.
    public static var receiveHighWaterMark: Self { .init(ZMQ_RCVHWM, "ZMQ_RCVHWM") }
    /// `ZMQ_SNDTIMEO`: how long, in ms, a blocking send waits before answering "would block"; -1 forever.
    public static var sendTimeout: Self { .init(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO") }
    /// `ZMQ_RCVTIMEO`: how long, in ms, a blocking receive waits before answering nil; -1 forever.
    public static var receiveTimeout: Self { .init(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO") }
    /// `ZMQ_HEARTBEAT_IVL`: ms between ZMTP pings on each connection; 0 sends none.
    public static var heartbeatInterval: Self { .init(ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL") }
    /// `ZMQ_HEARTBEAT_TIMEOUT`: ms without traffic after a ping before the connection is dropped.
    public static var heartbeatTimeout: Self { .init(ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT") }
    /// `ZMQ_HEARTBEAT_TTL`: ms the peer should wait for traffic before dropping the connection
    /// (sent in pings; libzmq keeps tenths of a second).
    public static var heartbeatTimeToLive: Self { .init(ZMQ_HEARTBEAT_TTL, "ZMQ_HEARTBEAT_TTL") }
    /// `ZMQ_RECONNECT_IVL`: ms before reconnecting after a lost connection; -1 never.
    public static var reconnectInterval: Self { .init(ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL") }
    /// `ZMQ_RECONNECT_IVL_MAX`: the longest ms between reconnections as they back off; 0 no backoff.
    public static var reconnectIntervalMaximum: Self { .init(ZMQ_RECONNECT_IVL_MAX, "ZMQ_RECONNECT_IVL_MAX") }
    /// `ZMQ_EVENTS` (read-only): `ZMQ_POLLIN` and `ZMQ_POLLOUT` as they stand once the socket has processed the
    /// commands waiting for it (which reading this option does).
    public static var events: Self { .init(ZMQ_EVENTS, "ZMQ_EVENTS") }
    /// `ZMQ_FD` (read-only): the descriptor that becomes readable when the socket's events may have changed (a
    /// signal to read `events`, not that a message waits; see `ManySocketPoller`).
    public static var signallingDescriptor: Self { .init(ZMQ_FD, "ZMQ_FD") }
}

extension SocketOption where Value == Int64 {
    /// `ZMQ_MAXMSGSIZE`: the largest message, in bytes, accepted from a connection; a peer that
    /// sends a larger one is disconnected. -1 is no limit.
    public static var maximumMessageSize: Self { .init(ZMQ_MAXMSGSIZE, "ZMQ_MAXMSGSIZE") }
}

extension SocketOption where Value == Bool {
    /// `ZMQ_ROUTER_MANDATORY` (write-only): a router throws `peerUnreachable` for an unknown
    /// routing id instead of dropping the message silently.
    public static var routerMandatory: Self { .init(ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY") }
    /// `ZMQ_IMMEDIATE`: queue messages only to completed connections.
    public static var immediate: Self { .init(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE") }
    /// `ZMQ_IPV6`: speak IPv6 as well as IPv4; needed for an IPv6 address in `bind` or `connect`, which set
    /// it themselves for one.
    public static var ipv6: Self { .init(ZMQ_IPV6, "ZMQ_IPV6") }
    /// `ZMQ_CURVE_SERVER`: act as the CURVE server; needs `curveSecretKey`.
    public static var curveServer: Self { .init(ZMQ_CURVE_SERVER, "ZMQ_CURVE_SERVER", needsCurve: true) }
}

extension SocketOption where Value == Data {
    /// `ZMQ_ROUTING_ID`: the 1–255-byte id a router sees for this socket (not starting with a
    /// zero byte, which libzmq keeps for its own ids); set before `connect`.
    public static var routingID: Self { .init(ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID", readCapacity: 255) }
}

extension SocketOption where Value == String {
    /// `ZMQ_CURVE_PUBLICKEY`: this socket's long-term public key, Z85 (40 characters).
    public static var curvePublicKey: Self { .init(ZMQ_CURVE_PUBLICKEY, "ZMQ_CURVE_PUBLICKEY", readCapacity: 41, needsCurve: true) }
    /// `ZMQ_CURVE_SECRETKEY`: this socket's long-term secret key, Z85 (40 characters).
    public static var curveSecretKey: Self { .init(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY", readCapacity: 41, needsCurve: true) }
    /// `ZMQ_CURVE_SERVERKEY`: on a client, the server's public key, Z85 (40 characters).
    public static var curveServerKey: Self { .init(ZMQ_CURVE_SERVERKEY, "ZMQ_CURVE_SERVERKEY", readCapacity: 41, needsCurve: true) }
    /// `ZMQ_ZAP_DOMAIN`: the authentication domain passed to the ZAP handler.
    public static var zapDomain: Self { .init(ZMQ_ZAP_DOMAIN, "ZMQ_ZAP_DOMAIN", readCapacity: 256) }
    /// `ZMQ_LAST_ENDPOINT` (read-only): see `Socket.lastEndpoint`.
    static var lastEndpoint: Self { .init(ZMQ_LAST_ENDPOINT, "ZMQ_LAST_ENDPOINT", readCapacity: 1024) }
}
