import CZeroMQ

/// What a connecting socket's events (`SocketMonitor`) add up to, so that a client can say why it is not
/// talking to its server: refused by the server's authenticator, a failed handshake, nothing listening.
///
/// A pure fold over `SocketEvent`s. libzmq retries a failed connection on its own and reports each retry;
/// a failure verdict stands through the retries until a handshake succeeds or another failure is reported,
/// so that `observe` announces each change once.
public struct ConnectionWatch: Sendable, Equatable {
    /// The state of the connection as far as the events tell.
    public enum Verdict: Sendable, Equatable, CustomStringConvertible {
        /// Nothing conclusive yet.
        case waiting
        /// The handshake (with CURVE, the authentication) succeeded.
        case connected
        /// The server's ZAP handler refused this client's key, with the ZAP status code (400: not authorized).
        case authenticationRefused(statusCode: Int)
        /// The handshake failed otherwise: a protocol error (e.g. one side uses CURVE, the other not), or the
        /// server dropped the connection mid-handshake (with CURVE, most often: the client was given another
        /// server public key than the server's).
        case handshakeFailed(reason: String)
        /// Connection attempts fail: nothing accepts connections there (yet).
        case unreachable
        /// A connection that had completed its handshake was lost.
        case disconnected

        public var description: String {
            switch self {
            case .waiting: "no connection yet"
            case .connected: "connected"
            case .authenticationRefused(let status): "authentication refused (ZAP status \(status))"
            case .handshakeFailed(let reason): "handshake failed: \(reason)"
            case .unreachable: "nothing accepts connections there"
            case .disconnected: "connection lost"
            }
        }

        /// Whether the verdict is a failure that retrying will not cure by itself.
        public var isHandshakeFailure: Bool {
            switch self {
            case .authenticationRefused, .handshakeFailed: true
            case .waiting, .connected, .unreachable, .disconnected: false
            }
        }
    }

    public private(set) var verdict: Verdict = .waiting
    /// A TCP connection is up and its handshake has not ended yet.
    private var isShakingHands = false

    public init() {}

    /// Folds `event` into the verdict; returns the new verdict when it changed, nil otherwise.
    @discardableResult
    public mutating func observe(_ event: SocketEvent) -> Verdict? {
        let previous = verdict
        switch event {
        case .connected:
            isShakingHands = true
        case .handshakeSucceeded:
            isShakingHands = false
            verdict = .connected
        case .handshakeFailedAuthentication(let status):
            isShakingHands = false
            verdict = .authenticationRefused(statusCode: status)
        case .handshakeFailedProtocol(let code):
            isShakingHands = false
            verdict = .handshakeFailed(reason: Self.describe(protocolError: code))
        case .handshakeFailedNoDetail(let errno):
            isShakingHands = false
            verdict = .handshakeFailed(
                reason: "the connection broke during the handshake (\(ZeroMQCalls.message(forCode: errno)))")
        case .disconnected:
            if verdict == .connected {
                verdict = .disconnected
            } else if isShakingHands && !verdict.isHandshakeFailure {
                verdict = .handshakeFailed(reason: "the server closed the connection during the handshake")
            }
            isShakingHands = false
        case .connectRetried:
            if verdict == .waiting || verdict == .disconnected { verdict = .unreachable }
        case .connectDelayed, .listening, .bindFailed, .accepted, .acceptFailed, .closed, .closeFailed,
            .monitorStopped, .other:
            break
        }
        return verdict == previous ? nil : verdict
    }

    /// A `ZMQ_PROTOCOL_ERROR_*` code in words where a user can act on it, else in hex.
    static func describe(protocolError code: UInt32) -> String {
        switch Int32(bitPattern: code) {
        case ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: "one side uses CURVE keys and the other not"
        case ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: "the CURVE keys do not match"
        default: "protocol error 0x\(String(code, radix: 16))"
        }
    }

    /// Folds every event in order; returns the last change, nil when there was none.
    @discardableResult
    public mutating func observe(_ events: [SocketEvent]) -> Verdict? {
        var change: Verdict?
        for event in events {
            if let changed = observe(event) { change = changed }
        }
        return change
    }
}
