// `aesweep status`: asks a running coordinator for its progress.

import Foundation
import Transport

/// Asks a coordinator for its status over a short-lived DEALER socket.
public enum StatusClient {
    /// Why no status came back.
    public enum Failure: Error, CustomStringConvertible {
        case noAnswer(endpoint: String, seconds: Double)
        case unexpectedAnswer(String)

        public var description: String {
            switch self {
            case .noAnswer(let endpoint, let seconds): "no answer from a coordinator at \(endpoint) within \(seconds) s"
            case .unexpectedAnswer(let type): "the coordinator answered with '\(type)' instead of a status"
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
        try socket.connect(endpoint)
        _ = try socket.send(Envelope(type: ClusterMessage.statusRequest.typeName, body: ClusterMessage.statusRequest.body()))
        let poller = Poller([socket])
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while ContinuousClock.now < deadline {
            guard try poller.poll(timeout: .milliseconds(100)).contains(socket),
                let envelope = try socket.receiveEnvelope(mode: .dontWait)
            else { continue }
            guard case .status(let status) = try ClusterMessage(type: envelope.type, body: envelope.body) else {
                throw Failure.unexpectedAnswer(envelope.type)
            }
            return status
        }
        throw Failure.noAnswer(endpoint: endpoint, seconds: timeout)
    }
}
