import Datasets
import Foundation
import TestSupport
import Testing

@testable import Training

@Suite("The conv model family")
struct ConvolutionalModelTests {
    static func model(channels: Int, side: Int, widths: [Int], seed: UInt64 = 3) -> Autoencoder {
        Autoencoder.make(
            for: ModelConfiguration(family: .conv, encoderWidths: widths),
            shape: ImageShape(channels: channels, height: side, width: side), seed: seed)
    }

    @Test(arguments: [1, 3])
    func outputHasTheInputShapeAndTheCodeIsPooled(channels: Int) {
        let model = Self.model(channels: channels, side: 28, widths: [32, 64])
        let output = model.forward(Tensor(shape: [2, channels * 28 * 28], repeating: 0.5), mode: .inference)
        #expect(output.shape == [2, channels * 28 * 28])
        #expect(model.code?.shape == [2, 64, 7, 7])
        #expect(output.scalars.allSatisfy { $0 > 0 && $0 < 1 })
    }

    /// The family's chain of layer types (with sigmoids for ReLUs, whose kinks a finite difference can
    /// straddle), from flat input to flat output.
    @Test func convolutionalChainGradientsMatchFiniteDifferences() {
        let error = worstGradientError(
            of: {
                var generator = SeededGenerator(seed: 3)
                return Sequential([
                    Reshape([2, 4, 4]),
                    Conv2D(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 1, generator: &generator),
                    Activation(.sigmoid), MaxPool2D(size: 2),
                    Conv2D(inputChannels: 3, outputChannels: 3, kernelSize: 3, padding: 1, generator: &generator),
                    Activation(.sigmoid), Upsample2D(factor: 2),
                    Conv2D(inputChannels: 3, outputChannels: 2, kernelSize: 3, padding: 1, generator: &generator),
                    Activation(.sigmoid), Reshape([32]),
                ])
            }, inputShape: [2, 32])
        #expect(error < 2e-3)
    }

    @Test func imageSidesThatDoNotPoolEvenlyAreRefused() {
        var configuration = TrainingConfiguration()
        configuration.model = ModelConfiguration(family: .conv, encoderWidths: [8, 8, 8])
        configuration.data = DataConfiguration(name: "patterns", validationCount: 50)
        #expect {
            try Trainer(configuration: configuration, dataset: PatternDataset.make(trainCount: 200, testCount: 10, side: 12))
        } throws: { error in
            String(describing: error).contains("divisible by 8")
        }
    }

    @Test(.enabled(if: SharedData.shouldRun("mnist"), Comment(rawValue: SharedData.missingComment("mnist"))))
    func convDenoisesRealMNISTClearlyBetterThanTheNoisyInput() throws {
        let dataset = try DatasetLoader.load("mnist", searchPath: DataSearchPath(explicitDirectory: SharedData.directory))
        var configuration = TrainingConfiguration()
        // As the Keras model is trained: binary cross-entropy (with MSE, a few hundred steps leave a sigmoid
        // output stuck at the all-background plateau of MNIST), small batches.
        configuration.data = DataConfiguration(name: "mnist", validationCount: 10_000, trainingLimit: 3000, evaluationLimit: 300)
        configuration.model = ModelConfiguration(family: .conv, encoderWidths: [16, 32])
        configuration.loss = .bce
        configuration.batchSize = 32
        configuration.epochs = 2
        let summary = try Trainer(configuration: configuration, dataset: dataset).run()
        let last = try #require(summary.epochs.last)
        #expect(last.validation.denoised.psnr > last.validation.noisy.psnr + 3)
    }
}
