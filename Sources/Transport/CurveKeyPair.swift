/// A CURVE key pair as Z85 text (40 characters each), the form socket options accept.
public struct CurveKeyPair: Sendable, Equatable {
    public let publicKey: String
    public let secretKey: String

    public init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A fresh random key pair (`zmq_curve_keypair`).
    public static func generate() throws(TransportError) -> CurveKeyPair {
        let keys = try ZeroMQCalls.curveKeyPair()
        return CurveKeyPair(publicKey: keys.publicKey, secretKey: keys.secretKey)
    }
}

extension CurveKeyPair: CustomStringConvertible {
    /// The public key only, so that logging a key pair never leaks the secret.
    public var description: String { "CurveKeyPair(public: \(publicKey), secret: <redacted>)" }
}

extension CurveKeyPair: CustomReflectable {
    /// As `description`: `dump` and debuggers see the public key only.
    public var customMirror: Mirror { Mirror(self, children: ["publicKey": publicKey]) }
}
