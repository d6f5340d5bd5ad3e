import Cluster
import Datasets
import Foundation
import Sweep
import Testing
import Training

@Suite("Cluster messages")
struct ClusterMessageTests {
    static func summary() -> TrainingSummary {
        let quality = ReconstructionQuality(mse: 0.02, psnr: 17.5, snr: 7.25)
        let evaluation = EvaluationMetrics(
            imageCount: 10, loss: 0.02, denoised: quality, noisy: quality, codeMeanActivation: 0.5, codeNearZeroFraction: 0.1)
        let epoch = EpochMetrics(
            epoch: 1, trainLoss: 0.03, trainPenalty: 0, validation: evaluation, trainingSeconds: 1, evaluationSeconds: 0.1,
            samplesPerSecond: 1000)
        return TrainingSummary(
            parameterCount: 12, epochs: [epoch], test: evaluation,
            stoppedEarly: false, seconds: 1.2)
    }

    static func roundTrip(_ message: ClusterMessage) throws -> ClusterMessage {
        try ClusterMessage(type: message.typeName, body: message.body())
    }

    static let lease = Lease(trialId: TrialIdentifier(rawValue: "0123456789abcdef"), token: "00112233445566778899aabbccddeeff")

    @Test func assignmentCarriesTheWholeConfigurationAndItsLease() throws {
        var configuration = TrainingConfiguration()
        configuration.model.encoderWidths = [1024]
        configuration.model.sparsity = 1e-4
        configuration.noise = .saltAndPepper(probability: 0.2)
        configuration.data.trainingLimit = 5000
        let id = TrialIdentifier.trial(configuration)
        let sent = TrialAssignment(trialId: id, configuration: configuration, attempt: 2, token: "abc")
        guard case .trial(let assignment) = try Self.roundTrip(.trial(sent)) else { Issue.record("not a trial"); return }
        #expect(assignment == sent)
        #expect(assignment.lease == Lease(trialId: id, token: "abc"))
    }

    @Test func assignmentWithPreEncodedConfigurationReadsAsTheEncodedOne() throws {
        var configuration = TrainingConfiguration()
        configuration.noise = .randomErasing(RandomErasing(probability: 0.3))
        configuration.seed = 7
        let trial = Trial(configuration: configuration, parameters: ["noise.kind": .text("random-erasing")])
        let lease = Lease.new(for: trial.id)
        let spliced = ClusterMessage.trial(TrialAssignment(trial: trial, attempt: 3, lease: lease))
        let plain = ClusterMessage.trial(
            TrialAssignment(trialId: trial.id, configuration: configuration, attempt: 3, token: lease.token))
        #expect(spliced.body() == plain.body())
        guard case .trial(let assignment) = try Self.roundTrip(spliced) else { Issue.record("not a trial"); return }
        #expect(assignment.configuration == configuration && assignment.lease == lease && assignment.attempt == 3)
    }

    @Test func leaseTokensAreFreshRandom128BitHex() {
        let id = TrialIdentifier(rawValue: "x")
        let tokens = (0..<1000).map { _ in Lease.new(for: id).token }
        #expect(Set(tokens).count == 1000)
        #expect(tokens.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func resultCarriesTheOneSummaryTypeAndWeightsBitForBit() throws {
        let weights = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let report = ResultReport(lease: Self.lease, summary: Self.summary(), seconds: 2.5, weights: weights)
        guard case .result(let decoded) = try Self.roundTrip(.result(report)) else { Issue.record("not a result"); return }
        #expect(decoded == report)
    }

    @Test func everyMessageTypeRoundTrips() throws {
        let id = Self.lease.trialId
        let messages: [ClusterMessage] = [
            .hello(Hello(worker: "w", host: "h", processId: 3, cores: 2, keepAlive: true)),
            .hello(Hello(worker: "w", host: "h", processId: 3, cores: 2, keepAlive: false, lease: Self.lease)),
            .ready, .goodbye, .heartbeat,
            .progress(ProgressReport(lease: Self.lease, progress: TrainingProgress(epoch: 1, epochCount: 2, batch: 3, batchCount: 4, runningLoss: 0.5, samplesPerSecond: 9))),
            .epoch(EpochReport(lease: Self.lease, metrics: Self.summary().epochs[0], preview: nil)),
            .failure(FailureReport(lease: Self.lease, reason: "diverged")),
            .handBack(HandBack(lease: Self.lease, reason: "shutting down")), .wait(milliseconds: 250),
            .stop(StopRequest(trialId: id, reason: "asha")), .stored(Receipt(trialId: id, epoch: 3)), .stored(Receipt(trialId: id)),
            .introduce, .refused(Refusal(reason: "protocol 1")), .finished, .statusRequest,
        ]
        for message in messages {
            let decoded = try Self.roundTrip(message)
            #expect(decoded == message)
            #expect(decoded.body() == message.body())
        }
    }

    @Test func aHelloOfProtocolOneStillReadsSoThatItCanBeRefused() throws {
        let old = Data(#"{"protocolVersion":1,"worker":"old","host":"h","processId":1,"cores":2,"keepAlive":false}"#.utf8)
        guard case .hello(let hello) = try ClusterMessage(type: "hello", body: old) else { Issue.record("not a hello"); return }
        #expect(hello.protocolVersion == 1 && hello.lease == nil)
    }

    @Test func bodiesLongerThanTheirTypeMayHaveAreRefusedBeforeDecoding() throws {
        let name = String(repeating: "w", count: 70_000)
        let hello = ClusterMessage.hello(Hello(worker: name, host: "h", processId: 1, cores: 1, keepAlive: false))
        #expect {
            try ClusterMessage(type: "hello", body: hello.body())
        } throws: { error in
            (error as? MessageDecodingError)?.reason.contains("more than the 65536 bytes") == true
        }
        let short = ClusterMessage.hello(Hello(worker: "w", host: "h", processId: 1, cores: 1, keepAlive: false))
        #expect(try ClusterMessage(type: "hello", body: short.body()) == short)
        // A result has no limit of its own: its weights are as large as the model.
        let lease = Lease(trialId: TrialIdentifier(rawValue: "0123456789abcdef"), token: "t")
        let summary = TrialRunner.simulatedSummary(for: TrainingConfiguration())
        let result = ClusterMessage.result(
            ResultReport(lease: lease, summary: summary, seconds: 1, weights: Data(count: 20 << 20)))
        #expect(try ClusterMessage(type: "result", body: result.body()) == result)
    }

    @Test func malformedBodiesAreRejectedNamingTheType() {
        let cases: [(String, Data)] = [
            ("hello", Data("{}".utf8)),
            ("hello", Data("not json".utf8)),
            ("trial", Data(#"{"trialId": "x", "attempt": "one", "configuration": {}, "token": "t"}"#.utf8)),
            ("trial", Data(#"{"trialId": "x", "attempt": 1, "configuration": {}}"#.utf8)),
            ("epoch", Data(#"{"metrics": {}}"#.utf8)),
            ("trial", Data(#"{"trialId": "x", "attempt": 1, "configuration": {"epochz": 3}}"#.utf8)),
            ("result", Data([0, 0, 0])),
            ("result", Data([0, 0, 1, 0]) + Data("{}".utf8)),
            ("progress", Data(#"{"lease": {"trialId": "x", "token": "t"}, "progress": {"epoch": 1e999}}"#.utf8)),
            ("stored", Data(#"{"epoch": 2}"#.utf8)),
            ("teleport", Data("{}".utf8)),
        ]
        for (type, body) in cases {
            #expect {
                try ClusterMessage(type: type, body: body)
            } throws: { error in
                (error as? MessageDecodingError)?.type == type
            }
        }
    }
}
