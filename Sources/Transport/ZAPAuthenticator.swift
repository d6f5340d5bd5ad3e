// A ZAP handler (ZeroMQ RFC 27) that lets in only CURVE clients whose public key is authorized.
// Without one, a CURVE server encrypts but accepts every client key.

import Foundation
import Synchronization
import Threads

/// Answers libzmq's authentication requests for every CURVE server socket of one context, on a
/// thread of its own, with a REP socket bound to `inproc://zeromq.zap.01`.
///
/// Start it **before** the server socket binds, and keep it alive as long as that socket: libzmq
/// asks the handler at each handshake, and when no handler is bound (not yet, or no longer) it
/// lets any CURVE client in. Only one handler may exist per context.
///
/// A request gets "200" only for mechanism CURVE and a client key in `authorizedKeys`; anything
/// else gets "400", and libzmq drops the connection.
public final class ZAPAuthenticator: Sendable {
    /// The endpoint libzmq sends ZAP requests to, in the server socket's context.
    public static let endpoint = "inproc://zeromq.zap.01"

    /// How long the handler's thread waits for a request before checking for a stop request.
    static let pollInterval: Duration = .milliseconds(100)

    /// One answered request, as passed to `onDecision`.
    public struct Decision: Sendable, Equatable {
        /// The client's public key as Z85, nil when the request carried none (not CURVE).
        public let clientKey: String?
        /// The client's network address as libzmq reported it.
        public let address: String
        /// The security mechanism: "CURVE", "PLAIN", "NULL".
        public let mechanism: String
        /// The ZAP domain of the server socket (`SocketOption.zapDomain`).
        public let domain: String
        public let accepted: Bool
    }

    /// The client public keys let in, Z85 (40 characters each).
    public let authorizedKeys: Set<String>
    private let shared: SharedState
    private let thread: DedicatedThread

    /// Starts the handler's thread, which binds its socket in `context` before this returns.
    ///
    /// - Parameter onDecision: called on the handler's thread after each answer, e.g. to log
    ///   refusals; it must not call `stop()`.
    /// - Throws: `.invalidKey` for an authorized key that is not 40 characters of Z85,
    ///   `.handlerAlreadyRunning` when the context already has a ZAP handler, `.transport` when the
    ///   socket cannot be made (e.g. the context was shut down).
    public init(
        context: MessageContext, authorizedKeys: Set<String>,
        onDecision: (@Sendable (Decision) -> Void)? = nil
    ) throws(ZAPAuthenticatorError) {
        for key in authorizedKeys where key.utf8.count != 40 || ZeroMQCalls.z85Decode(key) == nil {
            throw .invalidKey(key)
        }
        self.authorizedKeys = authorizedKeys
        let shared = SharedState()
        self.shared = shared
        let started = DispatchSemaphore(value: 0)
        let startup = Mutex<Result<Void, ZAPAuthenticatorError>?>(nil)
        // The thread holds only what it needs, not `self`, so that dropping the authenticator stops it.
        let thread = DedicatedThread(name: "zap-authenticator") {
            let socket: Socket
            do throws(ZAPAuthenticatorError) {
                socket = try Self.bindHandlerSocket(context: context)
            } catch {
                startup.withLock { $0 = .failure(error) }
                started.signal()
                return
            }
            startup.withLock { $0 = .success(()) }
            started.signal()
            Self.serve(socket, authorizedKeys: authorizedKeys, shared: shared, onDecision: onDecision)
        }
        started.wait()
        if case .failure(let error) = startup.withLock({ $0 }) {
            thread.join()
            throw error
        }
        self.thread = thread
    }

    deinit {
        stop()
    }

    /// How many requests got "200".
    public var acceptedCount: Int { shared.accepted.load(ordering: .relaxed) }

    /// How many requests got "400".
    public var refusedCount: Int { shared.refused.load(ordering: .relaxed) }

    /// The Z85 key of the last CURVE client refused, for logging; nil if none was.
    public var lastRefusedKey: String? { shared.lastRefusedKey.withLock { $0 } }

    /// Asks the handler's thread to stop and waits until it has closed its socket (up to about
    /// `pollInterval`). From then on the context's CURVE servers accept every client: stop the
    /// handler only after closing them. Idempotent; must not be called from `onDecision`.
    public func stop() {
        shared.stopRequested.store(true, ordering: .relaxed)
        thread.join()
    }

    // MARK: The handler's thread

    private static func bindHandlerSocket(context: MessageContext) throws(ZAPAuthenticatorError) -> Socket {
        do {
            let socket = try Socket(.reply, context: context)
            try socket.bind(endpoint)
            return socket
        } catch .invalidEndpoint {
            // The name is fixed and valid: binding fails only because another handler holds it.
            throw .handlerAlreadyRunning
        } catch {
            throw .transport(error)
        }
    }

    /// Answers requests until a stop is requested or the context is shut down; the socket closes
    /// when this returns and the last reference to it goes.
    private static func serve(
        _ socket: Socket, authorizedKeys: Set<String>, shared: SharedState,
        onDecision: (@Sendable (Decision) -> Void)?
    ) {
        let poller = Poller([socket])
        while !shared.stopRequested.load(ordering: .relaxed) {
            do {
                guard try poller.poll(timeout: pollInterval).contains(socket),
                    let frames = try socket.receive(mode: .dontWait)
                else { continue }
                let (reply, decision) = answer(frames, authorizedKeys: authorizedKeys)
                // Counted before libzmq hears the answer, so that the counts cover every
                // connection a server has accepted or dropped.
                shared.record(decision)
                onDecision?(decision)
                // A REP socket must answer before it can receive again; the reply never waits.
                _ = try socket.send(reply.frames, mode: .dontWait)
            } catch {
                // Only `.terminated` (the context was shut down) or a bug reach here: either way
                // the handler cannot go on.
                return
            }
        }
    }

    static func answer(_ frames: [Data], authorizedKeys: Set<String>) -> (ZAPReply, Decision) {
        guard let request = ZAPRequest(frames: frames) else {
            let requestID = frames.count > 1 ? frames[1] : Data()
            let decision = Decision(clientKey: nil, address: "", mechanism: "", domain: "", accepted: false)
            return (.refused(requestID, reason: "malformed ZAP request"), decision)
        }
        let key = request.curveClientKey
        let accepted = key.map(authorizedKeys.contains) ?? false
        let decision = Decision(
            clientKey: key, address: request.address, mechanism: request.mechanism, domain: request.domain,
            accepted: accepted)
        guard accepted, let key else {
            let reason = request.mechanism == "CURVE" ? "unknown client key" : "mechanism \(request.mechanism) not allowed"
            return (.refused(request.requestID, reason: reason), decision)
        }
        return (.accepted(request.requestID, userID: key), decision)
    }

    /// What the caller's thread and the handler's thread share.
    private final class SharedState: Sendable {
        let stopRequested = Atomic<Bool>(false)
        let accepted = Atomic<Int>(0)
        let refused = Atomic<Int>(0)
        let lastRefusedKey = Mutex<String?>(nil)

        func record(_ decision: Decision) {
            if decision.accepted {
                accepted.add(1, ordering: .relaxed)
            } else {
                if let key = decision.clientKey { lastRefusedKey.withLock { $0 = key } }
                refused.add(1, ordering: .relaxed)
            }
        }
    }
}
