// Who may talk to a coordinator, and how: CURVE keys and the safe default for binding without them.

import Foundation
import Transport

/// A coordinator's CURVE identity and the worker keys it lets in (refused ones get nothing through).
public struct ServerSecurity: Sendable {
    public var keys: CurveKeyPair
    /// Z85 public keys of the authorized workers (and status clients).
    public var authorizedKeys: Set<String>

    public init(keys: CurveKeyPair, authorizedKeys: Set<String>) {
        self.keys = keys
        self.authorizedKeys = authorizedKeys
    }

    /// Reads the coordinator's secret key file and every `*.key` public key in `authorizedDirectory`.
    public init(secretKeyFile: URL, authorizedDirectory: URL) throws(CurveKeyFileError) {
        let file = try CurveKeyFile.read(from: secretKeyFile)
        guard let keys = file.keyPair else { throw .missingKey(path: secretKeyFile.path, field: "secret-key") }
        self.init(keys: keys, authorizedKeys: try CurveKeyFile.loadAuthorizedKeys(directory: authorizedDirectory))
    }
}

/// A client's CURVE identity and the coordinator's public key it is pinned to.
public struct ClientSecurity: Sendable {
    public var keys: CurveKeyPair
    public var serverPublicKey: String

    public init(keys: CurveKeyPair, serverPublicKey: String) {
        self.keys = keys
        self.serverPublicKey = serverPublicKey
    }

    /// Reads the client's secret key file and the coordinator's public key file.
    public init(secretKeyFile: URL, serverKeyFile: URL) throws(CurveKeyFileError) {
        let file = try CurveKeyFile.read(from: secretKeyFile)
        guard let keys = file.keyPair else { throw .missingKey(path: secretKeyFile.path, field: "secret-key") }
        self.init(keys: keys, serverPublicKey: try CurveKeyFile.read(from: serverKeyFile).publicKey)
    }
}

/// The safe default: without keys, a coordinator listens only where no other machine can reach it.
public enum BindPolicy {
    /// Whether `endpoint` is reachable from this machine only: loopback TCP (`localhost`, `127.x.y.z`,
    /// `[::1]`), `ipc://` or `inproc://`.
    public static func isLocal(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
        return TCPEndpoint(endpoint)?.isLoopback ?? false
    }
}
