import Datasets
import Foundation
import TestSupport
import Testing

@testable import Training

/// A run paused after an epoch and continued from its checkpoint, in a new trainer, trains exactly the
/// epochs the uninterrupted run does: what a paused trial promoted later must give.
@Suite("Training checkpoints")
struct TrainingCheckpointTests {
    static let dataset = PatternDataset.make(trainCount: 300, testCount: 60, side: 28)

    static func configuration(_ model: ModelConfiguration, epochs: Int = 4) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(name: "patterns", validationCount: 60)
        configuration.model = model
        configuration.loss = .bce
        configuration.batchSize = 32
        configuration.epochs = epochs
        return configuration
    }

    static let models: [(String, ModelConfiguration)] = [
        ("dense with dropout and sparsity", ModelConfiguration(family: .dense, encoderWidths: [64, 16], dropout: 0.2, sparsity: 1e-4)),
        ("conv", ModelConfiguration(family: .conv, encoderWidths: [4, 8])),
        ("strided-conv with batch norm and dropout",
         ModelConfiguration(family: .stridedConv, encoderWidths: [8, 8, 4, 4], dropout: 0.1, batchNorm: true)),
        ("vae dense", ModelConfiguration(family: .vae, encoderWidths: [64], latent: 8)),
    ]


    @Test(arguments: models.indices)
    func resumingFromACheckpointContinuesBitForBit(_ index: Int) throws {
        BLASRuntime.setThreadCount(1)
        let (name, model) = Self.models[index]
        let configuration = Self.configuration(model)
        let uninterrupted = try Trainer(configuration: configuration, dataset: Self.dataset)
        let whole = try uninterrupted.run()

        // Two epochs, a checkpoint through its bytes, then a new trainer for the rest.
        let first = try Trainer(configuration: configuration, dataset: Self.dataset)
        let before = [try #require(try first.trainEpoch()), try #require(try first.trainEpoch())]
        let bytes = first.checkpoint().encoded()
        let resumed = try Trainer(configuration: configuration, dataset: Self.dataset)
        try resumed.restore(from: TrainingCheckpoint(decoding: bytes, source: "test"), source: "test")
        #expect(resumed.completedEpochs == 2)
        let rest = try resumed.run()

        // The resumed run's summary has every epoch, the two before the checkpoint included, bit for bit.
        #expect(whole.epochs.map(\.withoutTimings) == rest.epochs.map(\.withoutTimings), "\(name)")
        #expect(Array(rest.epochs.prefix(2)) == before, "\(name): the checkpoint's epochs, timings and all")
        #expect(whole.test == rest.test, "\(name)")
        #expect(uninterrupted.model.weights() == resumed.model.weights(), "\(name)")
    }

    @Test func aCheckpointOfAnotherConfigurationIsRefusedAndChangesNothing() throws {
        let configuration = Self.configuration(ModelConfiguration(family: .dense, encoderWidths: [32, 8]), epochs: 2)
        let trainer = try Trainer(configuration: configuration, dataset: Self.dataset)
        _ = try trainer.trainEpoch()
        let checkpoint = trainer.checkpoint()

        var other = configuration
        other.optimizer.learningRate *= 2
        let refused = try Trainer(configuration: other, dataset: Self.dataset)
        let before = refused.model.weights()
        #expect(throws: PersistenceError.self) { try refused.restore(from: checkpoint, source: "paused.safetensors") }
        #expect(refused.model.weights() == before && refused.completedEpochs == 0)

        // More epochs is the same run, extended.
        var longer = configuration
        longer.epochs = 5
        let extended = try Trainer(configuration: longer, dataset: Self.dataset)
        try extended.restore(from: checkpoint, source: "paused.safetensors")
        #expect(extended.completedEpochs == 1)
    }

    @Test func plainWeightsAreNotACheckpoint() throws {
        let trainer = try Trainer(configuration: Self.configuration(ModelConfiguration(family: .dense, encoderWidths: [32, 8])), dataset: Self.dataset)
        let weights = trainer.model.weights().encoded()
        #expect(throws: PersistenceError.self) { try TrainingCheckpoint(decoding: weights, source: "weights.safetensors") }
        // A checkpoint still loads as plain weights.
        let checkpoint = trainer.checkpoint().encoded()
        try trainer.model.load(SafeTensors(decoding: checkpoint, source: "checkpoint"), source: "checkpoint")
    }
}
