import CZeroMQ
import Foundation

/// One libzmq socket, opened in `init` (`zmq_socket`) and closed in `deinit` (`zmq_close`).
///
/// libzmq sockets are not thread-safe, so a `Socket` is not `Sendable`: create it on the thread
/// that will use it (typically a loop around `Poller`) and keep it there. Only the `MessageContext`
/// crosses threads. The socket holds its context, so the context outlives it.
public final class Socket {
    /// The messaging pattern (`ZMQ_*` socket type).
    public enum Kind: Sendable, Equatable, CustomStringConvertible {
        /// `ZMQ_ROUTER`: prefixes each received message with the sender's routing id, and sends
        /// each message to the peer named by its first frame.
        case router
        /// `ZMQ_DEALER`: sends round-robin to its peers, receives fair-queued; no envelope of its own.
        case dealer
        /// `ZMQ_PAIR`: exactly one peer.
        case pair
        /// `ZMQ_REQ`: strict send-receive alternation.
        case request
        /// `ZMQ_REP`: strict receive-send alternation.
        case reply
        /// `ZMQ_PUSH`: sends round-robin.
        case push
        /// `ZMQ_PULL`: receives fair-queued.
        case pull

        var type: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .pair: ZMQ_PAIR
            case .request: ZMQ_REQ
            case .reply: ZMQ_REP
            case .push: ZMQ_PUSH
            case .pull: ZMQ_PULL
            }
        }

        public var description: String {
            switch self {
            case .router: "ROUTER"
            case .dealer: "DEALER"
            case .pair: "PAIR"
            case .request: "REQ"
            case .reply: "REP"
            case .push: "PUSH"
            case .pull: "PULL"
            }
        }
    }

    /// Whether a send or receive may wait.
    public enum Mode: Sendable, Equatable {
        /// Wait until possible, or until `sendTimeout`/`receiveTimeout` passes when set.
        case blocking
        /// Never wait (`ZMQ_DONTWAIT`).
        case dontWait
    }

    public let kind: Kind
    /// The context the socket belongs to, kept alive as long as the socket.
    public let context: MessageContext
    let handle: UnsafeMutableRawPointer

    /// Opens a socket of `kind` in `context` (`zmq_socket`) with `linger` milliseconds of linger
    /// (`ZMQ_LINGER`). The default 0 discards unsent messages on close, so that closing never
    /// delays the context's termination; libzmq's own default (-1) would wait for them forever.
    public init(_ kind: Kind, context: MessageContext, linger: Int32 = 0) throws(TransportError) {
        let handle = try ZeroMQCalls.openSocket(context.handle, type: kind.type)
        do {
            try ZeroMQCalls.setOption(handle, ZMQ_LINGER, name: "ZMQ_LINGER", to: linger)
        } catch {
            ZeroMQCalls.closeSocket(handle)
            throw error
        }
        self.kind = kind
        self.context = context
        self.handle = handle
    }

    deinit {
        ZeroMQCalls.closeSocket(handle)
    }

    // MARK: Endpoints

    /// Accepts connections on `endpoint`, e.g. `tcp://127.0.0.1:*` for an ephemeral port or `inproc://name`
    /// (`zmq_bind`), and returns the endpoints now bound, wildcard ports resolved.
    ///
    /// libzmq does not resolve names on bind, so `tcp://localhost:PORT` binds the loopback addresses it
    /// stands for: `127.0.0.1`, first in the answer, then `[::1]` at the same port when this machine has IPv6
    /// loopback (when that bind fails, IPv4 alone serves: libzmq clients resolve `localhost` to IPv4). An
    /// IPv6 address (`tcp://[::1]:PORT`) turns on `ZMQ_IPV6` first.
    @discardableResult
    public func bind(_ endpoint: String) throws(TransportError) -> [String] {
        guard let tcp = TCPEndpoint(endpoint) else {
            try ZeroMQCalls.bind(handle, endpoint)
            return [try lastEndpoint ?? endpoint]
        }
        guard tcp.isLocalhost else {
            if tcp.isIPv6 { try set(.ipv6, true) }
            try ZeroMQCalls.bind(handle, endpoint)
            return [try lastEndpoint ?? endpoint]
        }
        do {
            try ZeroMQCalls.bind(handle, tcp.with(host: "127.0.0.1").description)
        } catch .invalidEndpoint(_, let reason) {
            throw .invalidEndpoint(endpoint, reason: "\(reason) (binding 127.0.0.1)")
        }
        let ipv4 = try lastEndpoint ?? tcp.with(host: "127.0.0.1").description
        guard let port = TCPEndpoint(ipv4)?.port else { return [ipv4] }
        do {
            try set(.ipv6, true)
            try ZeroMQCalls.bind(handle, tcp.with(host: "::1").with(port: port).description)
        } catch .invalidEndpoint {
            return [ipv4]
        }
        return [ipv4, try lastEndpoint ?? tcp.with(host: "::1").with(port: port).description]
    }

    /// Connects to `endpoint`; libzmq connects in the background and reconnects after failures (`zmq_connect`).
    /// An IPv6 address (`tcp://[::1]:PORT`) turns on `ZMQ_IPV6` first; a host name is resolved to IPv4.
    public func connect(_ endpoint: String) throws(TransportError) {
        if let tcp = TCPEndpoint(endpoint), tcp.isIPv6 { try set(.ipv6, true) }
        try ZeroMQCalls.connect(handle, endpoint)
    }

    /// Stops accepting on a bound `endpoint`, as `lastEndpoint` spells it for wildcards (`zmq_unbind`).
    /// libzmq closes the listener on its I/O thread, so the address is free again shortly after, not at once.
    public func unbind(_ endpoint: String) throws(TransportError) {
        try ZeroMQCalls.unbind(handle, endpoint)
    }

    /// Drops the connection to `endpoint` (`zmq_disconnect`).
    public func disconnect(_ endpoint: String) throws(TransportError) {
        try ZeroMQCalls.disconnect(handle, endpoint)
    }

    /// The endpoint last bound or connected, with a wildcard port resolved
    /// (`zmq_getsockopt(ZMQ_LAST_ENDPOINT)`); nil before the first `bind` or `connect`.
    public var lastEndpoint: String? {
        get throws(TransportError) {
            let endpoint = try get(.lastEndpoint)
            return endpoint.isEmpty ? nil : endpoint
        }
    }

    // MARK: Messages

    /// Sends one multipart message: `ZMQ_SNDMORE` on every frame but the last (`zmq_send`).
    ///
    /// libzmq delivers a message whole or not at all. Returns false, without sending, when the
    /// message would block: in `.dontWait` mode, or when `sendTimeout` passed. For a router, the
    /// first frame is the routing id of the peer.
    /// - Throws: `TransportError.peerUnreachable` for a router with `routerMandatory` set and an
    ///   unknown routing id, `.terminated` once the context is shut down.
    public func send(_ frames: [Data], mode: Mode = .blocking) throws(TransportError) -> Bool {
        precondition(!frames.isEmpty, "a message has at least one frame")
        let wait = mode == .dontWait ? ZMQ_DONTWAIT : 0
        for (index, frame) in frames.enumerated() {
            let isLast = index == frames.count - 1
            let outcome: ZeroMQOutcome<Void>
            do {
                outcome = try ZeroMQCalls.send(handle, frame, flags: wait | (isLast ? 0 : ZMQ_SNDMORE))
            } catch .system(_, EHOSTUNREACH, _) where kind == .router && index == 0 {
                throw .peerUnreachable(frame)
            }
            guard case .wouldBlock = outcome else { continue }
            if index > 0 {
                // A later frame blocked: libzmq has dropped the earlier ones and now discards
                // frames up to the message's end. Hand it the rest so the next message starts clean.
                finishDroppedMessage(frames[(index + 1)...], wait: wait)
            }
            return false
        }
        return true
    }

    /// Passes the frames after a blocked one to libzmq, which discards them.
    private func finishDroppedMessage(_ rest: ArraySlice<Data>, wait: Int32) {
        for (offset, frame) in rest.enumerated() {
            let isLast = offset == rest.count - 1
            _ = try? ZeroMQCalls.send(handle, frame, flags: wait | (isLast ? 0 : ZMQ_SNDMORE))
        }
    }

    /// Receives one multipart message, all its frames (`zmq_msg_recv` until `zmq_msg_more` is 0).
    ///
    /// Returns nil when no message is waiting: at once in `.dontWait` mode, or after
    /// `receiveTimeout` in `.blocking` mode. For a router, the first frame is the sender's routing id.
    /// - Throws: `TransportError.terminated` once the context is shut down.
    public func receive(mode: Mode = .blocking) throws(TransportError) -> [Data]? {
        try receiveWithUser(mode: mode)?.frames
    }

    /// Receives one multipart message as `receive(mode:)` does, with the user the ZAP handler named for the
    /// sender's connection (the client's CURVE public key, for `ZAPAuthenticator`); nil without ZAP.
    public func receiveWithUser(mode: Mode = .blocking) throws(TransportError) -> (frames: [Data], userID: String?)? {
        let wait = mode == .dontWait ? ZMQ_DONTWAIT : 0
        guard case .done(let first) = try ZeroMQCalls.receiveFrame(handle, flags: wait, userID: true) else { return nil }
        var frames = [first.frame]
        var more = first.more
        var userID = first.userID
        while more {
            // The rest of a message arrives with its first frame, so this never waits.
            guard case .done(let next) = try ZeroMQCalls.receiveFrame(handle, flags: 0, userID: true) else {
                throw .system(call: "zmq_msg_recv", code: EAGAIN, message: "a message ended before its last frame")
            }
            frames.append(next.frame)
            more = next.more
            if let user = next.userID { userID = user }
        }
        return (frames, userID)
    }
}

/// libzmq sockets must not be used from two threads; keep each `Socket` on the thread that made it.
@available(*, unavailable)
extension Socket: Sendable {}
