import Datasets
import Foundation
import TestSupport
import Testing

@testable import Training

@Suite("PSNR gain over the noisy input")
struct PSNRGainTests {
    /// PSNR of one image as the metrics define it: peak 1, an exact match floored at 100 dB.
    static func psnr(_ image: ArraySlice<Float>, _ clean: ArraySlice<Float>) -> Double {
        let error = zip(image, clean).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / Double(image.count)
        return 10 * log10(1 / max(error, 1e-10))
    }

    /// Three images of four values, clean 0.5 everywhere; errors per value (output, input): (0, 0.1),
    /// (0.1, 0.2), (0.05, 0.5). Per-image gains 80, 6.02 and 20.0 dB.
    @Test func gainIsTheMeanOfPerImageDifferences() {
        let clean = [Float](repeating: 0.5, count: 12)
        let outputErrors: [Float] = [0, 0.1, 0.05], inputErrors: [Float] = [0.1, 0.2, 0.5]
        /// Clean ± the image's error, the sign alternating from value to value.
        func offset(by errors: [Float], sign: Float) -> [Float] {
            (0..<12).map { (index: Int) -> Float in
                let alternating: Float = index % 2 == 0 ? sign : -sign
                return clean[index] + errors[index / 4] * alternating
            }
        }
        let output = offset(by: outputErrors, sign: 1)
        let noisy = offset(by: inputErrors, sign: -1)
        var accumulator = DenoisingQualityAccumulator(shape: ImageShape(channels: 1, height: 2, width: 2))
        output.withUnsafeBufferPointer { output in
            noisy.withUnsafeBufferPointer { noisy in
                clean.withUnsafeBufferPointer { clean in
                    accumulator.add(output: output, noisy: noisy, clean: clean, imageCount: 3, featureCount: 4)
                }
            }
        }
        let decibels = { (mse: Double) in 10 * log10(1 / mse) }
        let expected = [80.0, decibels(0.01) - decibels(0.04), decibels(0.0025) - decibels(0.25)]
        #expect(abs(accumulator.psnrGain - expected.reduce(0, +) / 3) < 1e-4)
        #expect(abs(accumulator.psnrGain - (80 + 6.0206 + 20) / 3) < 1e-3)
        // The same as the difference of the split's mean PSNRs, not of the PSNRs of the mean errors.
        let denoised = accumulator.denoised.result, input = accumulator.noisy.result
        #expect(abs(accumulator.psnrGain - (denoised.psnr - input.psnr)) < 1e-9)
        #expect(abs(accumulator.psnrGain - 10 * log10(input.mse / denoised.mse)) > 1)
        #expect(denoised.ssim == nil)
    }

    static func configuration(noise: Corruption) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(name: "patterns", validationCount: 200)
        configuration.model.encoderWidths = [32, 8]
        configuration.noise = noise
        configuration.batchSize = 32
        configuration.epochs = 2
        configuration.optimizer.learningRate = 3e-3
        return configuration
    }

    @Test func validationAndTestHaveTheGainAndSSIMUnderNoise() throws {
        let dataset = PatternDataset.make(trainCount: 3000, testCount: 150)
        var configuration = Self.configuration(noise: .gaussian(standardDeviation: 0.3, clip: true))
        configuration.epochs = 5
        let summary = try Trainer(configuration: configuration, dataset: dataset).run()
        #expect(summary.epochs.count == 5)
        for metrics in summary.epochs.map(\.validation) + [summary.test] {
            let gain = try #require(metrics.psnrGain)
            #expect(abs(gain - (metrics.denoised.psnr - metrics.noisy.psnr)) < 1e-9)
            let denoised = try #require(metrics.denoised.ssim), noisy = try #require(metrics.noisy.ssim)
            #expect(denoised > -1 && denoised <= 1 && noisy > -1 && noisy < 1)
        }
        // The last epoch's model removes much of the noise: the figures say so.
        let last = try #require(summary.epochs.last?.validation)
        #expect(try #require(last.psnrGain) > 0)
        #expect(try #require(last.denoised.ssim) > #require(last.noisy.ssim))
    }

    @Test func noGainWithoutNoise() throws {
        let dataset = PatternDataset.make(trainCount: 400, testCount: 100)
        let summary = try Trainer(configuration: Self.configuration(noise: .none), dataset: dataset).run()
        for metrics in summary.epochs.map(\.validation) + [summary.test] {
            #expect(metrics.psnrGain == nil)
            #expect(metrics.noisy.psnr == 100)
            #expect(metrics.noisy.ssim == 1)
            #expect(metrics.denoised.ssim != nil)
        }
        let line = String(decoding: try TrainingOutputDirectory.makeJSONEncoder().encode(summary.test), as: UTF8.self)
        #expect(!line.contains("psnr_gain"))
    }

    /// `evaluate`'s gain and SSIM are those of the model's outputs for the split's fixed noise, image by image.
    @Test func evaluationFiguresAreThoseOfEachImage() throws {
        let dataset = PatternDataset.make(trainCount: 400, testCount: 100)
        var configuration = Self.configuration(noise: .saltAndPepper(probability: 0.1))
        configuration.epochs = 1
        let trainer = try Trainer(configuration: configuration, dataset: dataset)
        _ = try trainer.trainEpoch()
        let images = trainer.data.validation
        let metrics = trainer.evaluator.evaluate(images, noiseStream: .validationNoise)

        let clean = Tensor(shape: [0, 0]), noisy = Tensor(shape: [0, 0])
        trainer.evaluator.prepareWithFixedNoise(
            images, indices: 0..<images.count, noiseSeed: trainer.evaluator.fixedNoiseSeed(.validationNoise), clean: clean,
            noisy: noisy)
        let output = trainer.model.run(clean: clean, noisy: noisy, labels: Tensor(shape: [0, 0]), mode: .inference).scalars
        let featureCount = images.shape.featureCount
        var measure = try #require(StructuralSimilarity(shape: images.shape))
        var gainSum: Double = 0, ssimSum: Double = 0, noisySSIMSum: Double = 0
        for image in 0..<images.count {
            let range = (image * featureCount)..<((image + 1) * featureCount)
            let cleanImage = clean.scalars[range]
            gainSum += Self.psnr(output[range], cleanImage) - Self.psnr(noisy.scalars[range], cleanImage)
            output[range].withUnsafeBufferPointer { output in
                clean.scalars[range].withUnsafeBufferPointer { clean in
                    ssimSum += measure.measure(output, against: clean)
                }
            }
            noisy.scalars[range].withUnsafeBufferPointer { noisy in
                clean.scalars[range].withUnsafeBufferPointer { clean in
                    noisySSIMSum += measure.measure(noisy, against: clean)
                }
            }
        }
        let count = Double(images.count)
        #expect(abs(try #require(metrics.psnrGain) - gainSum / count) < 1e-4)
        #expect(abs(try #require(metrics.denoised.ssim) - ssimSum / count) < 1e-9)
        #expect(abs(try #require(metrics.noisy.ssim) - noisySSIMSum / count) < 1e-9)
    }
}
