import Foundation

/// Why a Transport operation failed.
///
/// "Would block" is not among these: a non-blocking send answers `false` and a non-blocking
/// receive answers `nil` instead.
public enum TransportError: Error, Equatable, Sendable {
    /// A libzmq call failed for a reason with no case of its own: the call, its errno and libzmq's text for it.
    case system(call: String, code: Int32, message: String)
    /// A signal interrupted `call` where retrying it would not have been right.
    case interrupted(call: String)
    /// The context was shut down or terminated (`ETERM`): the socket's owner should close it and stop.
    case terminated
    /// `bind`, `connect`, `unbind` or `disconnect` refused the endpoint (malformed, unknown transport,
    /// address in use or unavailable, not bound or connected).
    case invalidEndpoint(String, reason: String)
    /// libzmq refused a socket or context option or its value (`EINVAL`), e.g. a CURVE key of the wrong length.
    case invalidOption(String, reason: String)
    /// `call` refused a message for its size (`EMSGSIZE`).
    case messageTooLarge(call: String)
    /// A router with `routerMandatory` set was asked to send to a routing id it has no connection for.
    case peerUnreachable(Data)
    /// The frames of a message do not form an envelope.
    case malformedEnvelope(reason: String)
    /// The envelope's version is not one the receiver accepts.
    case unsupportedVersion(UInt16)
    /// The envelope's type is well-formed but not one the receiver accepts.
    case unknownMessageType(String)
    /// This libzmq was built without CURVE security.
    case curveUnavailable
    /// A message from the peer with this routing id was refused for the inner reason.
    indirect case fromPeer(Data, TransportError)
}
