// `aesweep status`: asks a running coordinator for its progress.

import Foundation
import Transport

/// Asks a coordinator for its status over a short-lived DEALER socket.
public enum StatusClient {
    /// Why no status came back.
    public enum Failure: Error, CustomStringConvertible {
        /// Nothing came back in time; `connection` says how far the connection got.
        case noAnswer(endpoint: String, seconds: Double, connection: ConnectionWatch.Verdict)
        /// The coordinator's authenticator refused this client's key, with the ZAP status code.
        case authenticationRefused(endpoint: String, statusCode: Int)
        case unexpectedAnswer(String)

        public var description: String {
            switch self {
            case .noAnswer(let endpoint, let seconds, let connection):
                "no answer from a coordinator at \(endpoint) within \(seconds) s" + Self.hint(connection)
            case .authenticationRefused(let endpoint, let status):
                "authentication refused by the coordinator at \(endpoint) (ZAP status \(status)"
                    + (status == 400 ? ": --key is not among its --authorized-keys)" : ")")
            case .unexpectedAnswer(let type): "the coordinator answered with '\(type)' instead of a status"
            }
        }

        private static func hint(_ connection: ConnectionWatch.Verdict) -> String {
            switch connection {
            case .waiting, .disconnected: ""
            case .connected: " (connected, but it did not answer)"
            case .unreachable: " (nothing accepts connections there)"
            case .handshakeFailed(let reason): " (handshake failed: \(reason); check --key and --coordinator-key)"
            case .authenticationRefused(let status): " (authentication refused, ZAP status \(status))"
            }
        }
    }

    /// Sends `status-request` to `endpoint` and waits up to `timeout` seconds for the answer.
    public static func query(
        endpoint: String, timeout: Double, context: MessageContext, security: ClientSecurity? = nil
    ) throws -> SweepStatus {
        let socket = try Socket(.dealer, context: context, linger: 0)
        if let security {
            try socket.makeCurveClient(keyPair: security.keys, serverPublicKey: security.serverPublicKey)
        }
        // Before connecting, so that no event is missed: a refused key shows only there.
        let monitor = try SocketMonitor(watching: socket)
        var connection = ConnectionWatch()
        try socket.connect(endpoint)
        _ = try socket.send(Envelope(type: ClusterMessage.statusRequest.typeName, body: ClusterMessage.statusRequest.body()))
        let poller = Poller([socket, monitor.events])
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            let readable = try poller.poll(timeout: .milliseconds(100))
            connection.observe(try monitor.pending().map(\.event))
            if case .authenticationRefused(let status) = connection.verdict {
                throw Failure.authenticationRefused(endpoint: endpoint, statusCode: status)
            }
            guard readable.contains(socket), let envelope = try socket.receiveEnvelope(mode: .dontWait) else { continue }
            guard case .status(let status) = try ClusterMessage(type: envelope.type, body: envelope.body) else {
                throw Failure.unexpectedAnswer(envelope.type)
            }
            return status
        }
        throw Failure.noAnswer(endpoint: endpoint, seconds: timeout, connection: connection.verdict)
    }
}
