import Datasets
import Foundation
import TestSupport
import Testing

@testable import Training

@Suite("The trainer on small synthetic data")
struct TrainerTests {
    static func smallConfiguration() -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(name: "patterns", validationCount: 200)
        configuration.model.encoderWidths = [32, 8]
        configuration.noise = .gaussian(standardDeviation: 0.3, clip: true)
        configuration.batchSize = 32
        configuration.epochs = 3
        configuration.optimizer.learningRate = 3e-3
        return configuration
    }

    /// Metrics without their timings, which are the only figures allowed to differ between runs.
    static func timeless(_ summary: TrainingSummary) -> [EpochMetrics] {
        summary.epochs.map {
            var metrics = $0
            metrics.trainingSeconds = 0
            metrics.evaluationSeconds = 0
            metrics.samplesPerSecond = 0
            return metrics
        }
    }

    @Test func sameConfigurationAndSeedGiveBitIdenticalMetrics() throws {
        BLASRuntime.setThreadCount(1)
        let dataset = PatternDataset.make(trainCount: 1200, testCount: 200)
        var configuration = Self.smallConfiguration()
        configuration.model.dropout = 0.1
        configuration.noise = .saltAndPepper(probability: 0.1)
        let first = try Trainer(configuration: configuration, dataset: dataset).run()
        let second = try Trainer(configuration: configuration, dataset: dataset).run()
        #expect(Self.timeless(first) == Self.timeless(second))
        #expect(first.test == second.test)
        configuration.seed = 1
        let otherSeed = try Trainer(configuration: configuration, dataset: dataset).run()
        #expect(Self.timeless(otherSeed) != Self.timeless(first))
    }

    @Test func trainingDenoisesBetterThanTheNoisyInput() throws {
        let dataset = PatternDataset.make(trainCount: 3000, testCount: 300)
        var configuration = Self.smallConfiguration()
        configuration.epochs = 6
        var events: [TrainingEvent] = []
        let summary = try Trainer(configuration: configuration, dataset: dataset).run(progressInterval: 20) {
            events.append($0)
        }
        let last = try #require(summary.epochs.last)
        #expect(summary.epochs.count == 6)
        #expect(last.validation.denoised.psnr > last.validation.noisy.psnr + 3)
        #expect(summary.test.denoised.psnr > summary.test.noisy.psnr + 3)
        #expect(last.trainLoss < summary.epochs[0].trainLoss)
        let progressCount = events.filter { if case .progress = $0 { true } else { false } }.count
        #expect(progressCount == 6 * 4)  // 88 batches per epoch, reported at 20, 40, 60, 80
    }

    @Test func validationNoiseIsTheSameEveryEpoch() throws {
        let dataset = PatternDataset.make(trainCount: 600, testCount: 100)
        let summary = try Trainer(configuration: Self.smallConfiguration(), dataset: dataset).run()
        let noisyFigures = Set(summary.epochs.map(\.validation.noisy))
        #expect(noisyFigures.count == 1)
    }

    @Test func stopRequestEndsTheRunBetweenBatches() throws {
        let dataset = PatternDataset.make(trainCount: 1200, testCount: 100)
        let stop = StopSignal()
        var epochsSeen = 0
        let summary = try Trainer(configuration: Self.smallConfiguration(), dataset: dataset).run(
            stop: stop, progressInterval: 5
        ) { event in
            if case .epochCompleted = event { epochsSeen += 1 }
            if case .progress(let progress) = event, progress.epoch == 2, progress.batch == 10 { stop.request() }
        }
        #expect(summary.stoppedEarly)
        #expect(summary.epochs.count == 1)
        #expect(epochsSeen == 1)
        #expect(summary.test.imageCount == 100)
    }

    @Test func divergenceIsReportedWithItsEpochAndBatch() throws {
        let dataset = PatternDataset.make(trainCount: 600, testCount: 100)
        var configuration = Self.smallConfiguration()
        configuration.optimizer.learningRate = 1e30
        #expect {
            try Trainer(configuration: configuration, dataset: dataset).run()
        } throws: { error in
            guard case TrainingError.diverged(let epoch, _, let loss) = error else { return false }
            return epoch == 1 && !loss.isFinite
        }
    }

    @Test func invalidConfigurationIsRefusedBeforeTraining() {
        var configuration = Self.smallConfiguration()
        configuration.model.dropout = 1.5
        #expect(throws: TrainingError.self) {
            try Trainer(configuration: configuration, dataset: PatternDataset.make(trainCount: 400, testCount: 10))
        }
        configuration = Self.smallConfiguration()
        configuration.data.validationCount = 5000
        #expect {
            try Trainer(configuration: configuration, dataset: PatternDataset.make(trainCount: 400, testCount: 10))
        } throws: { error in
            guard case TrainingError.unsuitableData(let reason) = error else { return false }
            return reason.contains("5000")
        }
    }

    @Test func sparsityPenaltyMakesTheCodeSparser() throws {
        let dataset = PatternDataset.make(trainCount: 1500, testCount: 100)
        var configuration = Self.smallConfiguration()
        configuration.model.encoderWidths = [64]
        configuration.model.codeActivation = .relu
        let plain = try Trainer(configuration: configuration, dataset: dataset).run()
        configuration.model.sparsity = 1e-3
        let sparse = try Trainer(configuration: configuration, dataset: dataset).run()
        #expect(sparse.epochs.last!.trainPenalty > 0)
        #expect(plain.epochs.last!.trainPenalty == 0)
        #expect(sparse.test.codeNearZeroFraction > plain.test.codeNearZeroFraction)
    }

    @Test func outputDirectoryHoldsConfigurationMetricsAndWeights() throws {
        let directory = try TemporaryDirectory(prefix: "train-output")
        let output = try TrainingOutputDirectory(creatingAt: directory.url.appendingPathComponent("run"))
        let dataset = PatternDataset.make(trainCount: 600, testCount: 100)
        var configuration = Self.smallConfiguration()
        // A name the file reader accepts: the trainer is given its dataset, the file names one.
        configuration.data.name = "mnist"
        let trainer = try Trainer(configuration: configuration, dataset: dataset)
        try output.writeConfiguration(configuration)
        let summary = try trainer.run { event in
            if case .epochCompleted(let metrics) = event { try? output.appendEpoch(metrics) }
        }
        try output.writeSummary(summary, weights: trainer.model.weights())
        #expect(try TrainingConfiguration.load(from: output.configurationURL) == configuration)
        let lines = try String(contentsOf: output.metricsURL, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("\"epoch\":1") && lines[0].contains("\"train_loss\""))
        let weights = try SafeTensors(contentsOf: output.weightsURL)
        #expect(weights.tensors.count == trainer.model.parameters.count)
    }

    @Test func reconstructionsUseTheSameFixedNoiseAsValidation() throws {
        let dataset = PatternDataset.make(trainCount: 600, testCount: 100)
        let trainer = try Trainer(configuration: Self.smallConfiguration(), dataset: dataset)
        _ = try trainer.trainEpoch()
        let first = trainer.evaluator.reconstruct(trainer.data.validation, indices: [3, 0, 7])
        let again = trainer.evaluator.reconstruct(trainer.data.validation, indices: [7])
        #expect(first.indices == [3, 0, 7])
        #expect(first.clean.count == 3 * 144 && first.denoised.count == 3 * 144)
        // Image 7 gets the same noise whether previewed alone or with others.
        #expect(Array(first.noisy[(2 * 144)...]) == again.noisy)
        #expect(first.noisy != first.clean)
        // The preview's noisy PSNR matches what validation reports for the same images, within rounding.
        let subset = trainer.data.validation.subset(0..<8)
        let figures = trainer.evaluator.evaluate(subset, noiseStream: .validationNoise)
        let preview = trainer.evaluator.reconstruct(trainer.data.validation, indices: Array(0..<8))
        var psnr = 0.0
        for image in 0..<8 {
            var error = 0.0
            for pixel in 0..<144 {
                let difference = (Double(preview.noisy[image * 144 + pixel]) - Double(preview.clean[image * 144 + pixel])) / 255
                error += difference * difference
            }
            psnr += 10 * log10(144 / max(error, 1e-10)) / 8
        }
        #expect(abs(psnr - figures.noisy.psnr) < 0.1)
    }
}
