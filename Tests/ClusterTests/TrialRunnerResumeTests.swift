import Datasets
import Foundation
import Sweep
import TestSupport
import Testing
import Training

@testable import Cluster

/// A worker's trial paused after a rung and resumed from its checkpoint (on another runner, as any worker
/// may take it) trains exactly what an uninterrupted run does: every epoch, the test figures and the weights,
/// bit for bit with one BLAS thread.
@Suite("Trials paused and resumed from their checkpoint")
struct TrialRunnerResumeTests {
    static func configuration(_ model: ModelConfiguration) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(name: "mnist", validationCount: 100, trainingLimit: 600, evaluationLimit: 100)
        configuration.model = model
        configuration.noise = .gaussian(standardDeviation: 0.3, clip: true)
        configuration.batchSize = 32
        configuration.epochs = 4
        return configuration
    }

    static func runner() -> TrialRunner {
        TrialRunner(mode: .train, searchPath: DataSearchPath(roots: [.init(directory: GeneratedData.directory, origin: .explicit)]))
    }

    static func assignment(_ configuration: TrainingConfiguration, pause: Int?, resume: (epoch: Int, checkpoint: Data)?) -> TrialAssignment {
        var assignment = TrialAssignment(
            trialId: TrialIdentifier(rawValue: "t"), configuration: configuration, attempt: 1, token: "00")
        assignment.pauseAfterEpoch = pause
        assignment.resumeEpoch = resume?.epoch
        assignment.checkpoint = resume?.checkpoint ?? Data()
        return assignment
    }


    static let models: [(String, ModelConfiguration)] = [
        ("dense with dropout and sparsity", ModelConfiguration(family: .dense, encoderWidths: [32], dropout: 0.2, sparsity: 1e-4)),
        ("conv", ModelConfiguration(family: .conv, encoderWidths: [4, 8])),
    ]

    @Test(arguments: models.indices)
    func pausedAtEachRungAndResumedElsewhereIsBitIdentical(_ index: Int) throws {
        BLASRuntime.setThreadCount(1)
        let (name, model) = Self.models[index]
        let configuration = Self.configuration(model)
        var sent: [ClusterMessage] = []
        let whole = Self.runner().run(Self.assignment(configuration, pause: nil, resume: nil), stop: StopSignal()) { _ in }
        guard case .result(let reference) = whole else { Issue.record("\(name): \(whole.typeName)"); return }

        // Pause after epoch 1, resume on a new runner to pause after 3, resume on another to the end.
        let first = Self.runner().run(Self.assignment(configuration, pause: 1, resume: nil), stop: StopSignal()) { sent.append($0) }
        guard case .pause(let atOne) = first else { Issue.record("\(name): \(first.typeName)"); return }
        #expect(atOne.epoch == 1)
        let second = Self.runner().run(
            Self.assignment(configuration, pause: 3, resume: (1, atOne.checkpoint)), stop: StopSignal()) { sent.append($0) }
        guard case .pause(let atThree) = second else { Issue.record("\(name): \(second.typeName)"); return }
        #expect(atThree.epoch == 3)
        let last = Self.runner().run(
            Self.assignment(configuration, pause: nil, resume: (3, atThree.checkpoint)), stop: StopSignal()) { sent.append($0) }
        guard case .result(let resumed) = last else { Issue.record("\(name): \(last.typeName)"); return }

        // The epochs sent along the way are 1, 2, 3, 4, each once; the result holds all four.
        let epochs = sent.compactMap { message -> EpochMetrics? in if case .epoch(let report) = message { report.metrics } else { nil } }
        #expect(epochs.map(\.epoch) == [1, 2, 3, 4], "\(name)")
        #expect(epochs.map(\.withoutTimings) == reference.summary.epochs.map(\.withoutTimings), "\(name)")
        #expect(resumed.summary.epochs.map(\.withoutTimings) == reference.summary.epochs.map(\.withoutTimings), "\(name)")
        #expect(resumed.summary.test == reference.summary.test, "\(name)")
        #expect(resumed.weights == reference.weights, "\(name): the trained weights")
    }

    @Test func aCheckpointOfAnotherTrialFailsTheTrialAndNamesIt() throws {
        let configuration = Self.configuration(ModelConfiguration(family: .dense, encoderWidths: [16]))
        let paused = Self.runner().run(Self.assignment(configuration, pause: 1, resume: nil), stop: StopSignal()) { _ in }
        guard case .pause(let report) = paused else { Issue.record("\(paused.typeName)"); return }
        var other = configuration
        other.optimizer.learningRate *= 3
        let refused = Self.runner().run(Self.assignment(other, pause: nil, resume: (1, report.checkpoint)), stop: StopSignal()) { _ in }
        guard case .failure(let failure) = refused else { Issue.record("\(refused.typeName)"); return }
        #expect(failure.reason.contains("the checkpoint of trial t after epoch 1"), "\(failure.reason)")
    }
}
