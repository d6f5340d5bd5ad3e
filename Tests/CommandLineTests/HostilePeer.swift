import Cluster
import Foundation
import Sweep
import Testing
import Training
import Transport

/// A DEALER that speaks the cluster protocol by hand, to send what an honest worker never would: messages
/// about trials it does not hold, stolen or stale lease tokens, epochs out of range, replays.
final class HostilePeer {
    private let context: MessageContext
    private let socket: Socket

    /// Connects to `endpoint`, as a CURVE client with `keyPair` when `serverKey` is given; in `context` when
    /// many peers share one (each context has an I/O thread).
    init(_ endpoint: String, keyPair: CurveKeyPair? = nil, serverKey: String? = nil, context: MessageContext? = nil)
        throws
    {
        if let context { self.context = context } else { self.context = try MessageContext() }
        socket = try Socket(.dealer, context: self.context, linger: 0)
        try socket.set(.sendTimeout, 5000)
        if let keyPair, let serverKey { try socket.makeCurveClient(keyPair: keyPair, serverPublicKey: serverKey) }
        try socket.connect(endpoint)
    }

    func send(_ message: ClusterMessage) throws {
        let sent = try socket.send(Envelope(type: message.typeName, body: message.body()))
        #expect(sent, "could not send '\(message.typeName)' within 5 s")
    }

    /// Sends raw envelope frames of `type` with `body`.
    func send(type: String, body: Data) throws {
        _ = try socket.send(Envelope(type: type, body: body))
    }

    /// The next message for which `accept` gives a value, within `timeout` seconds; other messages are skipped.
    func receive<Value>(within timeout: Double, _ accept: (ClusterMessage) -> Value?) throws -> Value? {
        let poller = Poller([socket])
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard try !poller.poll(timeout: .milliseconds(50)).isEmpty else { continue }
            while let envelope = try socket.receiveEnvelope(mode: .dontWait) {
                if let message = try? ClusterMessage(type: envelope.type, body: envelope.body), let value = accept(message) {
                    return value
                }
            }
        }
        return nil
    }

    /// Says hello as a worker named `name`.
    func hello(_ name: String, lease: Lease? = nil) throws {
        try send(.hello(Hello(worker: name, host: "hostile", processId: 1, cores: 1, keepAlive: false, lease: lease)))
    }

    /// Asks for work and returns the trial handed out.
    func takeTrial() throws -> TrialAssignment? {
        try send(.ready)
        return try receive(within: 10) { if case .trial(let assignment) = $0 { assignment } else { nil } }
    }

    /// Trains `assignment` as a simulated worker would (its epochs, then its result), waiting for each receipt.
    func complete(_ assignment: TrialAssignment) throws {
        for message in TrialRunner.simulatedMessages(for: assignment) {
            try send(message)
            let receipt = try receive(within: 10) { if case .stored(let receipt) = $0 { receipt } else { nil } }
            #expect(receipt?.trialId == assignment.trialId, "no receipt for '\(message.typeName)' of \(assignment.trialId)")
        }
    }

    /// The coordinator's status, asked on this connection.
    func status() throws -> SweepStatus? {
        try send(.statusRequest)
        return try receive(within: 10) { if case .status(let status) = $0 { status } else { nil } }
    }

    /// Waits until the coordinator has rejected `count` messages in all; the count it reached.
    @discardableResult
    func waitForRejections(_ count: Int, timeout: Double = 10) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = -1
        while Date() < deadline {
            seen = try status()?.rejectedMessages ?? -1
            if seen >= count { return seen }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return seen
    }

    /// Every message a worker may send about `lease`: epoch, result, failure, hand-back and progress.
    static func messagesAbout(_ lease: Lease, configuration: TrainingConfiguration) -> [ClusterMessage] {
        // A result too good to be true (77.7 dB), so that a forgery that got in would show in the store.
        var forged = TrialRunner.simulatedSummary(for: configuration)
        forged.test.denoised.psnr = 77.7
        for index in forged.epochs.indices { forged.epochs[index].validation.denoised.psnr = 77.7 }
        return [
            .epoch(EpochReport(lease: lease, metrics: forged.epochs[0], preview: nil)),
            .result(ResultReport(lease: lease, summary: forged, seconds: 0, weights: Data())),
            .failure(FailureReport(lease: lease, reason: "forged failure")),
            .handBack(HandBack(lease: lease, reason: "forged hand-back")),
            .progress(
                ProgressReport(
                    lease: lease,
                    progress: TrainingProgress(
                        epoch: 1, epochCount: 1, batch: 1, batchCount: 1, runningLoss: 0, samplesPerSecond: 1))),
        ]
    }
}
