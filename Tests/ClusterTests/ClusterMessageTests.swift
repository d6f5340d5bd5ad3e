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
            configuration: TrainingConfiguration(), parameterCount: 12, epochs: [epoch], test: evaluation,
            stoppedEarly: false, seconds: 1.2)
    }

    static func roundTrip(_ message: ClusterMessage) throws -> ClusterMessage {
        try ClusterMessage(type: message.typeName, body: message.body())
    }

    @Test func assignmentCarriesTheWholeConfiguration() throws {
        var configuration = TrainingConfiguration()
        configuration.model.encoderWidths = [1024]
        configuration.model.sparsity = 1e-4
        configuration.noise = .saltAndPepper(probability: 0.2)
        configuration.data.trainingLimit = 5000
        let id = TrialIdentifier.trial(configuration)
        guard case .trial(let assignment) = try Self.roundTrip(.trial(TrialAssignment(trialId: id, configuration: configuration, attempt: 2)))
        else { Issue.record("not a trial"); return }
        #expect(assignment.configuration == configuration)
        #expect(assignment.trialId == id && assignment.attempt == 2)
    }

    @Test func assignmentWithPreEncodedConfigurationReadsAsTheEncodedOne() throws {
        var configuration = TrainingConfiguration()
        configuration.noise = .randomErasing(RandomErasing(probability: 0.3))
        configuration.seed = 7
        let trial = Trial(configuration: configuration, parameters: ["noise.kind": .text("random-erasing")])
        let spliced = ClusterMessage.trial(TrialAssignment(trial: trial, attempt: 3))
        let plain = ClusterMessage.trial(TrialAssignment(trialId: trial.id, configuration: configuration, attempt: 3))
        #expect(spliced.body() == plain.body())
        guard case .trial(let assignment) = try Self.roundTrip(spliced) else { Issue.record("not a trial"); return }
        #expect(assignment.configuration == configuration && assignment.trialId == trial.id && assignment.attempt == 3)
    }

    @Test func resultCarriesSummaryAndWeightsBitForBit() throws {
        let weights = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let report = ResultReport(trialId: TrialIdentifier(rawValue: "abc"), summary: Self.summary(), seconds: 2.5, weights: weights)
        guard case .result(let decoded) = try Self.roundTrip(.result(report)) else { Issue.record("not a result"); return }
        #expect(decoded.outcome.summary(configuration: TrainingConfiguration()) == report.outcome.summary(configuration: TrainingConfiguration()))
        #expect(decoded.outcome == TrainingOutcome(Self.summary()))
        #expect(decoded.weights == weights)
        #expect(decoded.seconds == 2.5)
    }

    @Test func everyMessageTypeRoundTrips() throws {
        let id = TrialIdentifier(rawValue: "0123456789abcdef")
        let messages: [ClusterMessage] = [
            .hello(Hello(worker: "w", host: "h", processId: 3, cores: 2, keepAlive: true)), .ready, .goodbye,
            .progress(ProgressReport(trialId: id, progress: TrainingProgress(epoch: 1, epochCount: 2, batch: 3, batchCount: 4, runningLoss: 0.5, samplesPerSecond: 9))),
            .epoch(EpochReport(trialId: id, metrics: Self.summary().epochs[0], preview: nil)),
            .failure(FailureReport(trialId: id, reason: "diverged")), .wait(milliseconds: 250),
            .stop(StopRequest(trialId: id, reason: "asha")), .finished, .statusRequest,
        ]
        for message in messages {
            let decoded = try Self.roundTrip(message)
            #expect(decoded.typeName == message.typeName)
            #expect(decoded.body() == message.body())
        }
    }

    @Test func malformedBodiesAreRejectedNamingTheType() {
        let cases: [(String, Data)] = [
            ("hello", Data("{}".utf8)),
            ("hello", Data("not json".utf8)),
            ("trial", Data(#"{"trialId": "x", "attempt": "one", "configuration": {}}"#.utf8)),
            ("trial", Data(#"{"trialId": "x", "attempt": 1, "configuration": {"epochz": 3}}"#.utf8)),
            ("result", Data([0, 0, 0])),
            ("result", Data([0, 0, 1, 0]) + Data("{}".utf8)),
            ("progress", Data(#"{"trialId": "x", "progress": {"epoch": 1e999}}"#.utf8)),
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
