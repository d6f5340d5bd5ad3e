// The one place where Transport calls libzmq: every `zmq_*` call goes through here, so that a `-1`
// becomes a typed `TransportError`, `EINTR` is retried where retrying is right, and `EAGAIN` is
// reported as "would block" rather than as a failure.

import CZeroMQ
import Foundation

/// What a non-blocking libzmq operation did.
enum ZeroMQOutcome<Value> {
    case done(Value)
    /// `EAGAIN`: nothing to receive, the queue is full, or a socket time-out passed.
    case wouldBlock
}

/// Thin wrappers over libzmq, one per C function; each doc comment names the function it calls.
enum ZeroMQCalls {
    /// The failure of `call` as told by `zmq_errno()`.
    static func lastError(_ call: String) -> TransportError {
        TransportError(call: call, code: zmq_errno())
    }

    /// `zmq_strerror`.
    static func message(forCode code: Int32) -> String {
        String(cString: zmq_strerror(code))
    }

    // MARK: Library

    /// `zmq_version`.
    static func version() -> (major: Int, minor: Int, patch: Int) {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (Int(major), Int(minor), Int(patch))
    }

    /// `zmq_has`.
    static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }

    /// `zmq_curve_keypair`: two Z85 keys of 40 characters each.
    static func curveKeyPair() throws(TransportError) -> (publicKey: String, secretKey: String) {
        // Z85 text plus the terminating NUL.
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else {
            let code = zmq_errno()
            if code == ENOTSUP { throw .curveUnavailable }
            throw TransportError(call: "zmq_curve_keypair", code: code)
        }
        return (text(publicKey), text(secretKey))
    }

    /// `zmq_curve_public`: the Z85 public key belonging to a Z85 secret key; nil when the secret
    /// key is not 40 characters of Z85.
    static func curvePublicKey(forSecretKey secretKey: String) throws(TransportError) -> String? {
        var publicKey = [CChar](repeating: 0, count: 41)
        guard secretKey.utf8.count == 40 else { return nil }
        guard zmq_curve_public(&publicKey, secretKey) == 0 else {
            let code = zmq_errno()
            if code == ENOTSUP { throw .curveUnavailable }
            return nil
        }
        return text(publicKey)
    }

    /// `zmq_z85_encode`: `bytes` as Z85 text; nil when their count is not a multiple of 4.
    static func z85Encode(_ bytes: Data) -> String? {
        guard bytes.count % 4 == 0 else { return nil }
        var encoded = [CChar](repeating: 0, count: bytes.count / 4 * 5 + 1)
        let status = bytes.withUnsafeBytes { buffer in
            zmq_z85_encode(&encoded, buffer.bindMemory(to: UInt8.self).baseAddress, buffer.count)
        }
        return status == nil ? nil : text(encoded)
    }

    /// `zmq_z85_decode`: the bytes Z85 `text` stands for; nil when it is not Z85 (wrong length,
    /// a character outside the alphabet, a group too large).
    static func z85Decode(_ text: String) -> Data? {
        let count = text.utf8.count
        guard count > 0, count % 5 == 0, !text.utf8.contains(0) else { return nil }
        var decoded = [UInt8](repeating: 0, count: count / 5 * 4)
        guard zmq_z85_decode(&decoded, text) != nil else { return nil }
        return Data(decoded)
    }

    // MARK: Contexts

    /// `zmq_ctx_new`.
    static func newContext() throws(TransportError) -> UnsafeMutableRawPointer {
        guard let context = zmq_ctx_new() else { throw lastError("zmq_ctx_new") }
        return context
    }

    /// `zmq_ctx_set`.
    static func setContextOption(
        _ context: UnsafeMutableRawPointer, _ option: Int32, name: String, to value: Int32
    ) throws(TransportError) {
        guard zmq_ctx_set(context, option, value) == 0 else {
            let code = zmq_errno()
            if code == EINVAL { throw .invalidOption(name, reason: message(forCode: code)) }
            throw TransportError(call: "zmq_ctx_set(\(name))", code: code)
        }
    }

    /// `zmq_ctx_shutdown`: blocking calls on the context's sockets return `ETERM`. Thread-safe.
    static func shutdownContext(_ context: UnsafeMutableRawPointer) {
        // Fails only for an invalid handle, which an owning `MessageContext` never holds.
        _ = zmq_ctx_shutdown(context)
    }

    /// `zmq_ctx_term`, retried while interrupted by a signal. Waits until every socket is closed.
    static func terminateContext(_ context: UnsafeMutableRawPointer) {
        while zmq_ctx_term(context) != 0 && zmq_errno() == EINTR {}
    }

    // MARK: Sockets

    /// `zmq_socket`.
    static func openSocket(_ context: UnsafeMutableRawPointer, type: Int32) throws(TransportError) -> UnsafeMutableRawPointer {
        guard let socket = zmq_socket(context, type) else { throw lastError("zmq_socket") }
        return socket
    }

    /// `zmq_close`. Fails only for an invalid handle, which an owning `Socket` never holds.
    static func closeSocket(_ socket: UnsafeMutableRawPointer) {
        _ = zmq_close(socket)
    }

    /// `zmq_bind`.
    static func bind(_ socket: UnsafeMutableRawPointer, _ endpoint: String) throws(TransportError) {
        try endpointCall("zmq_bind", endpoint) { zmq_bind(socket, endpoint) }
    }

    /// `zmq_connect`.
    static func connect(_ socket: UnsafeMutableRawPointer, _ endpoint: String) throws(TransportError) {
        try endpointCall("zmq_connect", endpoint) { zmq_connect(socket, endpoint) }
    }

    /// `zmq_unbind`.
    static func unbind(_ socket: UnsafeMutableRawPointer, _ endpoint: String) throws(TransportError) {
        try endpointCall("zmq_unbind", endpoint) { zmq_unbind(socket, endpoint) }
    }

    /// `zmq_disconnect`.
    static func disconnect(_ socket: UnsafeMutableRawPointer, _ endpoint: String) throws(TransportError) {
        try endpointCall("zmq_disconnect", endpoint) { zmq_disconnect(socket, endpoint) }
    }

    /// Runs one of the endpoint calls: every failure but `ETERM` is the endpoint's fault (malformed,
    /// unknown transport, address in use or not available, not bound or connected).
    private static func endpointCall(
        _ call: String, _ endpoint: String, _ body: () -> Int32
    ) throws(TransportError) {
        while body() != 0 {
            let code = zmq_errno()
            switch code {
            case EINTR: continue
            case ETERM: throw .terminated
            case EMTHREAD: throw TransportError(call: call, code: code)
            default: throw .invalidEndpoint(endpoint, reason: message(forCode: code))
            }
        }
    }

    /// `zmq_socket_monitor`: libzmq binds a PAIR socket at `endpoint` (inproc) and sends it `events` (a
    /// mask of `ZMQ_EVENT_*`) of `socket`; a nil `endpoint` stops the monitoring.
    static func monitor(_ socket: UnsafeMutableRawPointer, endpoint: String?, events: Int32) throws(TransportError) {
        let status = endpoint.map { zmq_socket_monitor(socket, $0, events) } ?? zmq_socket_monitor(socket, nil, 0)
        guard status == 0 else {
            let code = zmq_errno()
            if code == EPROTONOSUPPORT, let endpoint {
                throw .invalidEndpoint(endpoint, reason: "a socket monitor needs an inproc:// endpoint")
            }
            throw TransportError(call: "zmq_socket_monitor", code: code)
        }
    }

    // MARK: Socket options

    /// `zmq_setsockopt` with the raw bytes of a value.
    static func setOption(
        _ socket: UnsafeMutableRawPointer, _ option: Int32, name: String, bytes: UnsafeRawBufferPointer
    ) throws(TransportError) {
        guard zmq_setsockopt(socket, option, bytes.baseAddress, bytes.count) == 0 else {
            throw optionError("zmq_setsockopt", name: name, code: zmq_errno())
        }
    }

    /// `zmq_setsockopt` with a C `int`.
    static func setOption(_ socket: UnsafeMutableRawPointer, _ option: Int32, name: String, to value: Int32) throws(TransportError) {
        var value = value
        let status = zmq_setsockopt(socket, option, &value, MemoryLayout<Int32>.size)
        guard status == 0 else { throw optionError("zmq_setsockopt", name: name, code: zmq_errno()) }
    }

    /// `zmq_setsockopt` with an `int64_t`.
    static func setOption(_ socket: UnsafeMutableRawPointer, _ option: Int32, name: String, to value: Int64) throws(TransportError) {
        var value = value
        let status = zmq_setsockopt(socket, option, &value, MemoryLayout<Int64>.size)
        guard status == 0 else { throw optionError("zmq_setsockopt", name: name, code: zmq_errno()) }
    }

    /// `zmq_getsockopt` into a C `int`.
    static func option(_ socket: UnsafeMutableRawPointer, _ option: Int32, name: String) throws(TransportError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(socket, option, &value, &size) == 0 else {
            throw optionError("zmq_getsockopt", name: name, code: zmq_errno())
        }
        return value
    }

    /// `zmq_getsockopt` into an `int64_t`.
    static func option(_ socket: UnsafeMutableRawPointer, _ option: Int32, name: String) throws(TransportError) -> Int64 {
        var value: Int64 = 0
        var size = MemoryLayout<Int64>.size
        guard zmq_getsockopt(socket, option, &value, &size) == 0 else {
            throw optionError("zmq_getsockopt", name: name, code: zmq_errno())
        }
        return value
    }

    /// `zmq_getsockopt` into a buffer of `capacity` bytes; the bytes libzmq wrote.
    static func option(
        _ socket: UnsafeMutableRawPointer, _ option: Int32, name: String, capacity: Int
    ) throws(TransportError) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var size = capacity
            if zmq_getsockopt(socket, option, buffer.baseAddress, &size) == 0 {
                count = size
            } else {
                failure = zmq_errno()
                count = 0
            }
        }
        guard failure == 0 else { throw optionError("zmq_getsockopt", name: name, code: failure) }
        return bytes
    }

    private static func optionError(_ call: String, name: String, code: Int32) -> TransportError {
        switch code {
        case EINVAL: .invalidOption(name, reason: message(forCode: code))
        default: TransportError(call: "\(call)(\(name))", code: code)
        }
    }

    // MARK: Messages

    /// `zmq_send` of one frame, retried while interrupted by a signal. libzmq copies the bytes.
    /// `EHOSTUNREACH` (a ROUTER_MANDATORY router and an unknown peer) is left to the caller, which
    /// knows the peer.
    static func send(_ socket: UnsafeMutableRawPointer, _ frame: Data, flags: Int32) throws(TransportError) -> ZeroMQOutcome<Void> {
        while true {
            let status = frame.withUnsafeBytes { bytes in
                zmq_send(socket, bytes.baseAddress, bytes.count, flags)
            }
            if status >= 0 { return .done(()) }
            let code = zmq_errno()
            switch code {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            default: throw TransportError(call: "zmq_send", code: code)
            }
        }
    }

    /// One frame through `zmq_msg_init`, `zmq_msg_recv`, `zmq_msg_data`, `zmq_msg_size`,
    /// `zmq_msg_more` and `zmq_msg_close`, copied once into `Data`; retried while interrupted.
    ///
    /// With `userID`, the frame's `User-Id` property (`zmq_msg_gets`): what the ZAP handler that let the
    /// connection in named its user (the client's CURVE public key here); nil without one.
    static func receiveFrame(
        _ socket: UnsafeMutableRawPointer, flags: Int32, userID: Bool = false
    ) throws(TransportError) -> ZeroMQOutcome<(frame: Data, more: Bool, userID: String?)> {
        // A short frame lives inside the zmq_msg_t itself, so the message needs a fixed address
        // from init to close: a temporary allocation rather than a local that may move.
        let result = withUnsafeTemporaryAllocation(of: zmq_msg_t.self, capacity: 1) { storage in
            let message = storage.baseAddress!
            _ = zmq_msg_init(message)  // Always succeeds.
            defer { _ = zmq_msg_close(message) }
            while zmq_msg_recv(message, socket, flags) < 0 {
                let code = zmq_errno()
                switch code {
                case EINTR: continue
                case EAGAIN: return Result<ZeroMQOutcome<(frame: Data, more: Bool, userID: String?)>, TransportError>.success(.wouldBlock)
                default: return .failure(TransportError(call: "zmq_msg_recv", code: code))
                }
            }
            let size = zmq_msg_size(message)
            let frame = size == 0 ? Data() : Data(bytes: zmq_msg_data(message), count: size)
            let user = userID ? zmq_msg_gets(message, "User-Id").map { String(cString: $0) } : nil
            return .success(.done((frame, zmq_msg_more(message) != 0, user)))
        }
        return try result.get()
    }

    // MARK: Polling

    /// `zmq_poll`: the number of items with events, or 0 when the wait timed out or a signal
    /// interrupted it. A negative timeout waits forever.
    static func poll(_ items: inout [zmq_pollitem_t], timeoutMilliseconds: Int) throws(TransportError) -> Int {
        let count = items.withUnsafeMutableBufferPointer { items in
            zmq_poll(items.baseAddress, Int32(items.count), timeoutMilliseconds)
        }
        if count >= 0 { return Int(count) }
        let code = zmq_errno()
        if code == EINTR { return 0 }
        throw TransportError(call: "zmq_poll", code: code)
    }

    // MARK: Helpers

    /// The text up to the first NUL of a C character buffer.
    private static func text(_ characters: [CChar]) -> String {
        let bytes = characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension TransportError {
    /// The error for `code` (an errno value) returned by `call`.
    init(call: String, code: Int32) {
        switch code {
        case ETERM: self = .terminated
        case EINTR: self = .interrupted(call: call)
        case EMSGSIZE: self = .messageTooLarge(call: call)
        default: self = .system(call: call, code: code, message: ZeroMQCalls.message(forCode: code))
        }
    }
}
