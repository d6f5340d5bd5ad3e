import Datasets
import Foundation
import TestSupport
import Testing

@testable import Training

/// A short real-data run of every family (a few thousand MNIST images, release build): each must
/// denoise better than its noisy input, and the inpainting CVAE must fill the hidden block better than
/// the mean image does.
@Suite(
    "Every model family trains on real MNIST",
    .enabled(if: SharedData.shouldRun("mnist"), Comment(rawValue: SharedData.missingComment("mnist"))))
struct FamilyTrainingTests {
    static func mnist() throws -> LabeledDataset {
        try DatasetLoader.load("mnist", searchPath: DataSearchPath(explicitDirectory: SharedData.directory))
    }

    static func configuration(_ model: ModelConfiguration, trainingImages: Int = 3000, epochs: Int = 2)
        -> TrainingConfiguration
    {
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(
            name: "mnist", validationCount: 10_000, trainingLimit: trainingImages, evaluationLimit: 500)
        configuration.model = model
        // BCE and small batches, as these models are trained in Keras: with MSE a few hundred steps
        // can leave a sigmoid output on MNIST's all-background plateau.
        configuration.loss = .bce
        configuration.batchSize = 32
        configuration.epochs = epochs
        return configuration
    }

    @Test(arguments: [
        ("strided-conv", ModelConfiguration(family: .stridedConv)),
        ("strided-conv with batch norm and dropout", ModelConfiguration(family: .stridedConv, dropout: 0.1, batchNorm: true)),
        ("conv-linear", ModelConfiguration(family: .convLinear, encoderWidths: [16, 32], latent: 32)),
        ("vae dense", ModelConfiguration(family: .vae, encoderWidths: [256], latent: 16)),
        ("vae conv", ModelConfiguration(family: .vae, encoderWidths: [16, 32], latent: 16, backbone: .conv)),
        ("cvae on labels", ModelConfiguration(family: .cvae, encoderWidths: [256], latent: 16, condition: .label)),
    ])
    func familyDenoisesBetterThanTheNoisyInput(name: String, model: ModelConfiguration) throws {
        let summary = try Trainer(configuration: Self.configuration(model), dataset: Self.mnist()).run()
        let last = try #require(summary.epochs.last)
        #expect(last.validation.denoised.psnr > last.validation.noisy.psnr + 2, "\(name)")
        #expect(summary.test.denoised.psnr > summary.test.noisy.psnr + 2, "\(name)")
        if model.family.isVariational {
            let kl = try #require(last.validation.klDivergence)
            #expect(kl > 0 && kl.isFinite, "\(name): KL \(kl)")
            #expect(last.trainKLDivergence != nil && last.trainReconstruction != nil)
        }
    }

    @Test func inpaintingCVAEFillsTheBlockBetterThanTheMeanImage() throws {
        var configuration = Self.configuration(
            ModelConfiguration(family: .cvae, encoderWidths: [256], latent: 8, condition: .corrupted),
            trainingImages: 8000, epochs: 3)
        configuration.noise = .blockMask(BlockMask(minimumSize: 8, maximumSize: 12))
        let summary = try Trainer(configuration: configuration, dataset: Self.mnist()).run()
        let masked = try #require(summary.test.masked)
        #expect(masked.imageCount == summary.test.imageCount, "every image has a block")
        #expect(masked.denoised.mse < masked.meanFill.mse, "CVAE \(masked.denoised.mse) vs mean fill \(masked.meanFill.mse)")
        #expect(masked.denoised.psnr > masked.meanFill.psnr)
    }
}
