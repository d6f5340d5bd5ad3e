import Datasets
import Foundation
import TestSupport
import Testing

@testable import Training

/// The evaluator stands alone: a model rebuilt from its weights, without any of training's state, gives the
/// training run's own figures; a corruption override gives what a model trained with it would measure.
@Suite("The evaluator")
struct EvaluatorTests {
    @Test func aModelRebuiltFromItsWeightsMeasuresWhatTrainingMeasured() throws {
        BLASRuntime.setThreadCount(1)
        let dataset = PatternDataset.make(trainCount: 1200, testCount: 200)
        var configuration = TrainerTests.smallConfiguration()
        configuration.epochs = 2
        let trainer = try Trainer(configuration: configuration, dataset: dataset)
        let summary = try trainer.run()
        let weights = trainer.model.weights()

        let splits = try configuration.splits(of: dataset)
        let model = Autoencoder.make(
            for: configuration.model, shape: dataset.train.shape, classCount: dataset.classNames.count, seed: 99)
        try model.load(weights, source: "test")
        let evaluator = Evaluator(model: model, configuration: configuration, trainingImages: splits.train)
        #expect(evaluator.evaluate(splits.test, noiseStream: .testNoise) == summary.test)
        #expect(evaluator.evaluate(splits.validation, noiseStream: .validationNoise) == summary.epochs.last?.validation)
        #expect(
            evaluator.reconstruct(splits.validation, indices: [0, 3])
                == trainer.evaluator.reconstruct(trainer.data.validation, indices: [0, 3]))
    }

    @Test func aCorruptionOverrideMeasuresWhatThatCorruptionsOwnConfigurationWould() throws {
        BLASRuntime.setThreadCount(1)
        let dataset = PatternDataset.make(trainCount: 600, testCount: 200)
        let configuration = TrainerTests.smallConfiguration()
        let trainer = try Trainer(configuration: configuration, dataset: dataset)
        _ = try trainer.trainEpoch()
        var other = configuration
        other.noise = .saltAndPepper(probability: 0.2)
        let otherEvaluator = Evaluator(model: trainer.model, configuration: other, trainingImages: trainer.data.train)
        let overridden = trainer.evaluator.evaluate(trainer.data.test, noiseStream: .testNoise, noise: other.noise)
        #expect(overridden == otherEvaluator.evaluate(trainer.data.test, noiseStream: .testNoise))
        #expect(overridden != trainer.evaluator.evaluate(trainer.data.test, noiseStream: .testNoise))
        // Without corruption there is no gain to report.
        #expect(trainer.evaluator.evaluate(trainer.data.test, noiseStream: .testNoise, noise: Corruption.none).psnrGain == nil)
    }
}
