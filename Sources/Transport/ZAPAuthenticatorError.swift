/// Why a `ZAPAuthenticator` could not start.
public enum ZAPAuthenticatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The context already has a ZAP handler bound to `inproc://zeromq.zap.01`; libzmq allows one.
    case handlerAlreadyRunning
    /// An authorized key is not a CURVE public key in Z85 (40 characters).
    case invalidKey(String)
    /// The handler's socket could not be opened or bound.
    case transport(TransportError)

    public var description: String {
        switch self {
        case .handlerAlreadyRunning:
            "this messaging context already has a ZAP handler (\(ZAPAuthenticator.endpoint) is bound); only one is allowed"
        case .invalidKey(let key):
            "authorized key '\(key)' is not a CURVE public key (40 characters of Z85)"
        case .transport(let error):
            "the ZAP handler could not start: \(error)"
        }
    }
}
