import Foundation

/// An envelope as a ROUTER sees it: from or to the peer whose routing id is `peer`.
/// Frames: [routing id, header, body] (see `Envelope` for the header and body).
public struct RoutedEnvelope: Sendable, Equatable {
    /// The peer's routing id: the id it set with `routingID`, or one libzmq made up.
    public var peer: Data
    public var envelope: Envelope

    public init(peer: Data, envelope: Envelope) {
        self.peer = peer
        self.envelope = envelope
    }

    /// The frames on the wire: [routing id, header, body].
    public func frames() -> [Data] {
        [peer] + envelope.frames()
    }

    /// Parses the frames a router received.
    /// - Throws: `malformedEnvelope` without any frame; otherwise the envelope's error wrapped in
    ///   `fromPeer`, naming the peer at fault.
    public init(frames: [Data], policy: Envelope.Policy = .current) throws(TransportError) {
        guard let peer = frames.first else {
            throw .malformedEnvelope(reason: "no routing id frame")
        }
        do {
            envelope = try Envelope(frames: Array(frames.dropFirst()), policy: policy)
        } catch {
            throw .fromPeer(peer, error)
        }
        self.peer = peer
    }
}
