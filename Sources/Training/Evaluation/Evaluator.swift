// Running a trained model on held-out images: the figures of every evaluation, at a large batch.

import Datasets

/// Runs a model on held-out images without training it: its figures (`EvaluationMetrics`), a few outputs
/// (`ReconstructionSample`), its codes and what its decoder makes of codes. Every image gets noise fixed
/// per image, so that image `i` of a split is corrupted the same way at every epoch, in every batch size,
/// in the worker and in the report.
///
/// The training core evaluates through one after every epoch and on the test split at the end; a report
/// builds one over stored weights without any of training's state (optimizer moments, batch buffers).
public final class Evaluator {
    /// The model; the evaluator never changes its parameters.
    public let model: Autoencoder
    /// The configuration whose corruption, loss, seed and batch size evaluation follows.
    public let configuration: TrainingConfiguration
    /// The images the model was fitted on: their mean image is the baseline an inpainting model must beat.
    let trainingImages: ImageSet
    let shape: ImageShape
    /// `[batch, conditionCount]`: the labels of a label-conditioned model.
    let labelCondition = Tensor(shape: [0, 0])
    /// The mean training image, `[featureCount]`.
    private lazy var meanTrainingImage: [Float] = Self.meanImage(of: trainingImages)

    /// Images per forward pass when evaluating a dense model (large products run faster).
    static let denseBatchSize = 500

    /// An evaluator of `model`, trained on `trainingImages` as `configuration` says.
    public init(model: Autoencoder, configuration: TrainingConfiguration, trainingImages: ImageSet) {
        self.model = model
        self.configuration = configuration
        self.trainingImages = trainingImages
        shape = trainingImages.shape
    }

    /// Images per forward pass: 500 for models of dense layers (dense, and VAEs on a dense backbone), the
    /// training batch for the others, whose layers keep per-image activations of tens of thousands of
    /// values (a 500-image batch through the strided-conv model would hold about 400 MB).
    var batchCapacity: Int {
        configuration.model.effectiveBackbone == .dense ? Self.denseBatchSize : configuration.batchSize
    }

    /// The model's figures on `images`, each corrupted with noise fixed per image: image `i` always gets
    /// the same noise, whatever the batch size or epoch.
    ///
    /// The noisy input is measured beside the output, and each image's PSNR gain over it is averaged
    /// (no gain without corruption). With an occluding corruption (random erasing, block mask) the
    /// figures restricted to the hidden region are added, beside those of filling it with the mean
    /// training image.
    ///
    /// - Parameter noise: the corruption to apply instead of the configuration's (a cross-noise
    ///   evaluation); the fixed per-image noise streams stay the same.
    public func evaluate(_ images: ImageSet, noiseStream: RandomStream, noise: Corruption? = nil) -> EvaluationMetrics {
        let noise = noise ?? configuration.noise
        let featureCount = shape.featureCount
        let noiseSeed = fixedNoiseSeed(noiseStream)
        let batchCapacity = min(self.batchCapacity, max(images.count, 1))
        let clean = Tensor(shape: [batchCapacity, featureCount])
        let noisy = Tensor(shape: [batchCapacity, featureCount])
        let occluded = noise.isOcclusion
        let occlusion = Tensor(shape: [occluded ? batchCapacity : 0, featureCount])
        let meanFill = Tensor(shape: [occluded ? batchCapacity : 0, featureCount])
        var quality = DenoisingQualityAccumulator(shape: shape)
        var maskedDenoised = ReconstructionQualityAccumulator()
        var maskedNoisy = ReconstructionQualityAccumulator()
        var maskedMeanFill = ReconstructionQualityAccumulator()
        var lossSum: Double = 0, klSum: Double = 0, codeSum: Double = 0, codeMagnitudeSum: Double = 0
        var nearZeroCount = 0, codeValueCount = 0
        var lower = 0
        while lower < images.count {
            let upper = min(lower + batchCapacity, images.count)
            let count = upper - lower
            prepareWithFixedNoise(
                images, indices: lower..<upper, noise: noise, noiseSeed: noiseSeed, clean: clean, noisy: noisy,
                occlusion: occluded ? occlusion : nil)
            model.fillLabels(labelCondition, of: images, at: lower..<upper)
            let output = model.run(clean: clean, noisy: noisy, labels: labelCondition, mode: .inference)
            klSum += model.klDivergence * Double(count)
            clean.scalars.withUnsafeBufferPointer { clean in
                output.scalars.withUnsafeBufferPointer { output in
                    lossSum += configuration.loss.evaluate(output: output, target: clean, gradient: nil)
                        * Double(count)
                    noisy.scalars.withUnsafeBufferPointer { noisy in
                        quality.add(
                            output: output, noisy: noisy, clean: clean, imageCount: count, featureCount: featureCount)
                    }
                }
                guard occluded else { return }
                fillWithMeanImage(meanFill, like: noisy, occlusion: occlusion)
                occlusion.scalars.withUnsafeBufferPointer { mask in
                    output.scalars.withUnsafeBufferPointer { output in
                        maskedDenoised.add(
                            images: output, clean: clean, imageCount: count, featureCount: featureCount, mask: mask)
                    }
                    noisy.scalars.withUnsafeBufferPointer { noisy in
                        maskedNoisy.add(
                            images: noisy, clean: clean, imageCount: count, featureCount: featureCount, mask: mask)
                    }
                    meanFill.scalars.withUnsafeBufferPointer { meanFill in
                        maskedMeanFill.add(
                            images: meanFill, clean: clean, imageCount: count, featureCount: featureCount, mask: mask)
                    }
                }
            }
            if let code = model.code {
                code.scalars.withUnsafeBufferPointer { code in
                    var sum: Float = 0
                    var magnitude: Float = 0
                    for value in code {
                        sum += value
                        magnitude += abs(value)
                        if abs(value) < EvaluationMetrics.codeNearZeroThreshold { nearZeroCount += 1 }
                    }
                    codeSum += Double(sum)
                    codeMagnitudeSum += Double(magnitude)
                    codeValueCount += code.count
                }
            }
            lower = upper
        }
        let imageCount = Double(max(images.count, 1))
        var metrics = EvaluationMetrics(
            imageCount: images.count, loss: lossSum / imageCount,
            denoised: quality.denoised.result, noisy: quality.noisy.result,
            psnrGain: noise == Corruption.none ? nil : quality.psnrGain,
            codeMeanActivation: codeSum / Double(max(codeValueCount, 1)),
            codeNearZeroFraction: Double(nearZeroCount) / Double(max(codeValueCount, 1)),
            codeMeanMagnitude: codeMagnitudeSum / Double(max(codeValueCount, 1)))
        if model.bottleneck != nil { metrics.klDivergence = klSum / imageCount }
        if occluded {
            metrics.masked = MaskedRegionQuality(
                imageCount: maskedDenoised.imageCount, denoised: maskedDenoised.result, noisy: maskedNoisy.result,
                meanFill: maskedMeanFill.result)
        }
        return metrics
    }

    /// Makes `target` the corrupted images with their hidden region filled with the mean training image.
    private func fillWithMeanImage(_ target: Tensor, like noisy: Tensor, occlusion: Tensor) {
        let featureCount = shape.featureCount
        target.reshape(to: noisy.shape)
        let meanImage = meanTrainingImage
        target.scalars.withUnsafeMutableBufferPointer { target in
            noisy.scalars.withUnsafeBufferPointer { noisy in
                occlusion.scalars.withUnsafeBufferPointer { mask in
                    for index in 0..<noisy.count {
                        target[index] = mask[index] > 0 ? meanImage[index % featureCount] : noisy[index]
                    }
                }
            }
        }
    }}
