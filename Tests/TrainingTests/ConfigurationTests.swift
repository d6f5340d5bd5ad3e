import Datasets
import Foundation
import Testing

@testable import Training

@Suite("Training configuration files")
struct ConfigurationTests {
    @Test func emptyFileGivesTheDocumentedDefaults() throws {
        let configuration = try TrainingConfiguration.parse("", file: "empty.yaml")
        #expect(configuration == TrainingConfiguration())
        #expect(configuration.model.encoderWidths == [512, 256, 128, 30])
        #expect(configuration.noise == .gaussian(standardDeviation: 0.5, clip: true))
        #expect(configuration.optimizer == AdamConfiguration(learningRate: 1e-3, weightDecay: 1e-5))
    }

    @Test func yamlWithEveryKindOfValueIsRead() throws {
        let configuration = try TrainingConfiguration.parse(
            """
            data: mnist
            model: {encoder: [1024], code_activation: relu, sparsity: 1.0e-4, dropout: 0.2}
            noise: {kind: salt-and-pepper, probability: 0.2}
            loss: bce
            optimizer: {learning_rate: 0.002}
            batch_size: 64
            epochs: 3
            seed: 42
            """, file: "sparse.yaml")
        #expect(configuration.data.name == "mnist")
        #expect(configuration.model.encoderWidths == [1024])
        #expect(configuration.model.codeActivation == .relu)
        #expect(configuration.noise == .saltAndPepper(probability: 0.2))
        #expect(configuration.loss == .bce)
        #expect(configuration.optimizer.learningRate == 0.002)
        #expect(configuration.optimizer.weightDecay == 1e-5)
        #expect(configuration.batchSize == 64 && configuration.epochs == 3 && configuration.seed == 42)
    }

    @Test func writtenYAMLReadsBackUnchanged() throws {
        var configuration = TrainingConfiguration()
        configuration.noise = .randomErasing(RandomErasing(probability: 0.7, fill: 0.5))
        configuration.data.trainingLimit = 1000
        configuration.model.dropout = 0.1
        let text = configuration.yamlText()
        #expect(try TrainingConfiguration.parse(text, file: "round-trip.yaml") == configuration)
        let json = String(decoding: configuration.canonicalJSON(), as: UTF8.self)
        #expect(try TrainingConfiguration.parse(json, file: "round-trip.json") == configuration)
    }

    @Test func misspeltKeyIsNamedWithItsPath() {
        #expect {
            try TrainingConfiguration.parse("model: {encodr: [64]}", file: "typo.yaml")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("typo.yaml") && text.contains("model.encodr") && text.contains("unknown key")
        }
    }

    @Test func keyOfAnotherNoiseKindIsRejected() {
        #expect {
            try TrainingConfiguration.parse("noise: {kind: salt-and-pepper, sigma: 0.3}", file: "noise.yaml")
        } throws: { error in
            String(describing: error) == "noise.yaml:1: noise.sigma: does not apply to noise kind 'salt-and-pepper' (it takes: probability)"
        }
    }

    @Test func outOfRangeValuesAreAllReported() {
        #expect {
            try TrainingConfiguration.parse(
                "model: {dropout: 1.0, sparsity: -1}\nnoise: {kind: gaussian, sigma: -0.1}\nbatch_size: 0", file: "bad.yaml")
        } throws: { error in
            let text = String(describing: error)
            return text.contains("model.dropout") && text.contains("model.sparsity") && text.contains("sigma")
                && text.contains("batch_size")
        }
    }

    @Test func wrongTypeNamesTheKey() {
        #expect {
            try TrainingConfiguration.parse("epochs: many", file: "type.yaml")
        } throws: { error in
            String(describing: error).contains("type.yaml") && String(describing: error).contains("epochs")
        }
    }
}
