import Foundation

/// An envelope as a ROUTER sees it: from or to the peer whose routing id is `peer`.
/// Frames: [routing id, header, body] (see `Envelope` for the header and body).
public struct RoutedEnvelope: Sendable, Equatable {
    /// The peer's routing id: the id it set with `routingID`, or one libzmq made up.
    public var peer: Data
    public var envelope: Envelope
    /// The user the ZAP handler named for the sender's connection (with `ZAPAuthenticator`, the client's
    /// CURVE public key); nil without ZAP, and on envelopes to send.
    public var userID: String?

    public init(peer: Data, envelope: Envelope, userID: String? = nil) {
        self.peer = peer
        self.envelope = envelope
        self.userID = userID
    }

    /// The frames on the wire: [routing id, header, body].
    public func frames() -> [Data] {
        [peer] + envelope.frames()
    }

    /// Parses the frames a router received.
    /// - Throws: `malformedEnvelope` without any frame; otherwise the envelope's error wrapped in
    ///   `fromPeer`, naming the peer at fault.
    public init(frames: [Data], userID: String? = nil, policy: Envelope.Policy = .current) throws(TransportError) {
        guard let peer = frames.first else {
            throw .malformedEnvelope(reason: "no routing id frame")
        }
        do {
            envelope = try Envelope(frames: Array(frames.dropFirst()), policy: policy)
        } catch {
            throw .fromPeer(peer, error)
        }
        self.peer = peer
        self.userID = userID
    }
}
