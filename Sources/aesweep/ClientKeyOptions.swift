import ArgumentParser
import Cluster
import Foundation

/// A client's CURVE keys: `--key` (its secret key file) and `--coordinator-key` (the coordinator's public one).
struct ClientKeyOptions: ParsableArguments {
    @Option(help: "This client's secret key file (aesweep keys generate NAME writes NAME.key_secret).")
    var key: String?

    @Option(name: .customLong("coordinator-key"), help: "The coordinator's public key file (its NAME.key).")
    var coordinatorKey: String?

    func validate() throws {
        guard (key == nil) == (coordinatorKey == nil) else {
            throw ValidationError("--key and --coordinator-key go together")
        }
    }

    /// The keys, or nil for a plain connection.
    func security() throws -> ClientSecurity? {
        guard let key, let coordinatorKey else { return nil }
        do {
            return try ClientSecurity(
                secretKeyFile: URL(fileURLWithPath: key), serverKeyFile: URL(fileURLWithPath: coordinatorKey))
        } catch {
            throw ValidationError(error.description)
        }
    }
}
