// Turning a socket into a CURVE server or client: the options, in the order libzmq needs them.

extension Socket {
    /// The ZAP domain CURVE servers made by `makeCurveServer` announce to the ZAP handler.
    public static let defaultZAPDomain = "aesweep"

    /// Makes this socket a CURVE server with the long-term key pair `secretKey`/`publicKey` (Z85):
    /// `ZMQ_CURVE_SERVER`, `ZMQ_CURVE_SECRETKEY`, `ZMQ_CURVE_PUBLICKEY`, `ZMQ_ZAP_DOMAIN`.
    ///
    /// Call before `bind`. Clients are authenticated only if a `ZAPAuthenticator` runs in this
    /// socket's context: without one, any client key is accepted.
    /// - Throws: `.curveUnavailable` when libzmq lacks CURVE, `.invalidOption` for a key that is
    ///   not 40 characters of Z85.
    public func makeCurveServer(
        secretKey: String, publicKey: String, zapDomain: String = Socket.defaultZAPDomain
    ) throws(TransportError) {
        guard ZeroMQ.hasCurve else { throw .curveUnavailable }
        try set(.curveServer, true)
        try set(.curveSecretKey, secretKey)
        try set(.curvePublicKey, publicKey)
        try set(.zapDomain, zapDomain)
    }

    /// Makes this socket a CURVE client with its own `keyPair`, talking only to the server whose
    /// public key is `serverPublicKey` (Z85): `ZMQ_CURVE_PUBLICKEY`, `ZMQ_CURVE_SECRETKEY`,
    /// `ZMQ_CURVE_SERVERKEY`. Call before `connect`.
    /// - Throws: `.curveUnavailable` when libzmq lacks CURVE, `.invalidOption` for a key that is
    ///   not 40 characters of Z85.
    public func makeCurveClient(keyPair: CurveKeyPair, serverPublicKey: String) throws(TransportError) {
        guard ZeroMQ.hasCurve else { throw .curveUnavailable }
        try set(.curvePublicKey, keyPair.publicKey)
        try set(.curveSecretKey, keyPair.secretKey)
        try set(.curveServerKey, serverPublicKey)
    }
}
