import CZeroMQ
import Foundation

/// What happened to one connection or listener of a socket, as a `SocketMonitor` reports it
/// (`ZMQ_EVENT_*`, with the value libzmq sends along where it means something).
public enum SocketEvent: Sendable, Equatable {
    /// `ZMQ_EVENT_CONNECTED`: a TCP connection is up; the ZMTP handshake follows.
    case connected
    /// `ZMQ_EVENT_CONNECT_DELAYED`: a connection attempt did not complete at once; libzmq goes on trying.
    case connectDelayed
    /// `ZMQ_EVENT_CONNECT_RETRIED`: an attempt failed; the next one starts after `milliseconds`.
    case connectRetried(milliseconds: Int)
    /// `ZMQ_EVENT_LISTENING`: a bind took effect.
    case listening
    /// `ZMQ_EVENT_BIND_FAILED`, with the errno.
    case bindFailed(errno: Int32)
    /// `ZMQ_EVENT_ACCEPTED`: a listener accepted a connection.
    case accepted
    /// `ZMQ_EVENT_ACCEPT_FAILED`, with the errno.
    case acceptFailed(errno: Int32)
    /// `ZMQ_EVENT_CLOSED`: a connection or listener was closed.
    case closed
    /// `ZMQ_EVENT_CLOSE_FAILED`, with the errno.
    case closeFailed(errno: Int32)
    /// `ZMQ_EVENT_DISCONNECTED`: an established connection broke (or the peer closed it).
    case disconnected
    /// `ZMQ_EVENT_MONITOR_STOPPED`: the monitoring ended; no event follows.
    case monitorStopped
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`, with the errno: e.g. the peer closed the connection mid-handshake.
    case handshakeFailedNoDetail(errno: Int32)
    /// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`: the ZMTP handshake (and CURVE authentication) completed.
    case handshakeSucceeded
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`, with the `ZMQ_PROTOCOL_ERROR_*` code: e.g. the peers disagree
    /// on the security mechanism.
    case handshakeFailedProtocol(code: UInt32)
    /// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`: the server's ZAP handler refused this client, with the ZAP status
    /// code (300 temporary, 400 refused, 500 internal error).
    case handshakeFailedAuthentication(statusCode: Int)
    /// An event number this type does not know, and its value.
    case other(event: UInt16, value: UInt32)

    /// The event numbered `event` with its `value`, as the first frame of a monitor message carries them.
    public init(event: UInt16, value: UInt32) {
        let errno = Int32(bitPattern: value)
        switch Int32(event) {
        case ZMQ_EVENT_CONNECTED: self = .connected
        case ZMQ_EVENT_CONNECT_DELAYED: self = .connectDelayed
        case ZMQ_EVENT_CONNECT_RETRIED: self = .connectRetried(milliseconds: Int(value))
        case ZMQ_EVENT_LISTENING: self = .listening
        case ZMQ_EVENT_BIND_FAILED: self = .bindFailed(errno: errno)
        case ZMQ_EVENT_ACCEPTED: self = .accepted
        case ZMQ_EVENT_ACCEPT_FAILED: self = .acceptFailed(errno: errno)
        case ZMQ_EVENT_CLOSED: self = .closed
        case ZMQ_EVENT_CLOSE_FAILED: self = .closeFailed(errno: errno)
        case ZMQ_EVENT_DISCONNECTED: self = .disconnected
        case ZMQ_EVENT_MONITOR_STOPPED: self = .monitorStopped
        case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL: self = .handshakeFailedNoDetail(errno: errno)
        case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: self = .handshakeSucceeded
        case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: self = .handshakeFailedProtocol(code: value)
        case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: self = .handshakeFailedAuthentication(statusCode: Int(value))
        default: self = .other(event: event, value: value)
        }
    }

    /// The event a monitor message's first frame carries: a `uint16_t` event number then a `uint32_t` value,
    /// in the machine's byte order (libzmq copies them in as they are); nil for a frame of another size.
    public init?(frame: Data) {
        guard frame.count == 6 else { return nil }
        let bytes = [UInt8](frame)
        let event = bytes[0..<2].withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }
        let value = bytes[2..<6].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        self.init(event: event, value: value)
    }
}
