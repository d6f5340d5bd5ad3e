import Datasets
import Foundation
import TestSupport
import Testing

@testable import Training

@Suite("Training on real MNIST", .enabled(if: SharedData.shouldRun("mnist"), Comment(rawValue: SharedData.missingComment("mnist"))))
struct RealDataTrainingTests {
    @Test func fewThousandImagesDenoiseClearlyBetterThanTheNoisyInput() throws {
        let dataset = try DatasetLoader.load("mnist", searchPath: DataSearchPath(explicitDirectory: SharedData.directory))
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(name: "mnist", validationCount: 10_000, trainingLimit: 4000, evaluationLimit: 1000)
        configuration.model.encoderWidths = [256, 64]
        configuration.epochs = 5
        let summary = try Trainer(configuration: configuration, dataset: dataset).run()
        let last = try #require(summary.epochs.last)
        // σ = 0.5 clipped noise leaves MNIST at about 9.4 dB.
        #expect(abs(last.validation.noisy.psnr - 9.4) < 0.3)
        #expect(last.validation.denoised.psnr > last.validation.noisy.psnr + 3)
        #expect(summary.test.denoised.psnr > summary.test.noisy.psnr + 3)
        #expect(last.validation.denoised.snr > last.validation.noisy.snr + 3)
    }
}
