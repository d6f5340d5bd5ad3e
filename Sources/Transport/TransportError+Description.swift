import Foundation

extension TransportError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .system(let call, let code, let message):
            return "\(call) failed: \(message) (errno \(code))"
        case .interrupted(let call):
            return "\(call) was interrupted by a signal"
        case .terminated:
            return "the messaging context was shut down"
        case .invalidEndpoint(let endpoint, let reason):
            return "endpoint '\(endpoint)': \(reason)"
        case .invalidOption(let option, let reason):
            return "socket option \(option): \(reason)"
        case .messageTooLarge(let call):
            return "\(call): message too large"
        case .peerUnreachable(let peer):
            return "peer \(Self.describe(peer: peer)) is not connected"
        case .malformedEnvelope(let reason):
            return "malformed envelope: \(reason)"
        case .unsupportedVersion(let version):
            return "unsupported envelope version \(version)"
        case .unknownMessageType(let type):
            return "unknown message type '\(type)'"
        case .curveUnavailable:
            return "libzmq was built without CURVE security (zmq_has(\"curve\") is false)"
        case .fromPeer(let peer, let error):
            return "from peer \(Self.describe(peer: peer)): \(error)"
        }
    }

    /// A routing id as text when it is printable ASCII (ids chosen by workers), else as hex
    /// (libzmq's own ids start with a zero byte).
    static func describe(peer: Data) -> String {
        if !peer.isEmpty, peer.allSatisfy({ (0x21...0x7e).contains($0) }) {
            return "'\(String(decoding: peer, as: UTF8.self))'"
        }
        return "0x" + peer.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
