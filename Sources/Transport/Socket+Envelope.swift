import Foundation

// Sending and receiving envelopes: `Envelope` on dealers and other unrouted sockets,
// `RoutedEnvelope` on routers.
extension Socket {
    /// Sends `envelope` as [header, body]; false when it would block (see `send(_:mode:)`).
    public func send(_ envelope: Envelope, mode: Mode = .blocking) throws(TransportError) -> Bool {
        precondition(kind != .router, "a router sends RoutedEnvelope, which names the peer")
        return try send(envelope.frames(), mode: mode)
    }

    /// Receives one envelope; nil when no message is waiting (see `receive(mode:)`).
    ///
    /// A refused message is consumed: the next call receives the next message.
    /// - Throws: `malformedEnvelope`, `unsupportedVersion` or `unknownMessageType` for a message
    ///   `policy` refuses; `terminated` once the context is shut down.
    public func receiveEnvelope(mode: Mode = .blocking, policy: Envelope.Policy = .current) throws(TransportError) -> Envelope? {
        precondition(kind != .router, "a router receives RoutedEnvelope, which names the peer")
        guard let frames = try receive(mode: mode) else { return nil }
        return try Envelope(frames: frames, policy: policy)
    }

    /// Sends `routed.envelope` to `routed.peer` from a router; false when it would block.
    /// - Throws: `peerUnreachable` when `routerMandatory` is set and the peer is not connected.
    public func send(_ routed: RoutedEnvelope, mode: Mode = .blocking) throws(TransportError) -> Bool {
        precondition(kind == .router, "only a router sends to a named peer")
        return try send(routed.frames(), mode: mode)
    }

    /// Receives one envelope on a router, with the routing id of its sender; nil when no message is waiting.
    ///
    /// A refused message is consumed: the next call receives the next message.
    /// - Throws: `fromPeer(peer, …)` for a message `policy` refuses; `terminated` once the context is shut down.
    public func receiveRoutedEnvelope(mode: Mode = .blocking, policy: Envelope.Policy = .current) throws(TransportError) -> RoutedEnvelope? {
        precondition(kind == .router, "only a router receives routing ids")
        guard let (frames, userID) = try receiveWithUser(mode: mode) else { return nil }
        return try RoutedEnvelope(frames: frames, userID: userID, policy: policy)
    }
}
