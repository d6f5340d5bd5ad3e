// The shared training core: what `aesweep train` runs and what a sweep worker runs for one grid point.

import Datasets
import Foundation

/// Trains one autoencoder on one dataset as its configuration says, reporting progress and metrics.
///
/// `run` blocks the calling thread for the whole run: call it from a dedicated thread (see
/// `DedicatedThread`), never from Swift's cooperative pool. A `StopSignal` may end it between batches.
/// With one BLAS thread, the same configuration and seed give bit-identical metrics.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let model: Autoencoder
    /// The training, validation and test images after the configuration's limits.
    public let data: DatasetSplits
    /// How many epochs have completed.
    public private(set) var completedEpochs = 0

    private let shape: ImageShape
    private let optimizer: Adam
    private let penalty: ActivityPenalty
    private var shuffleGenerator: SeededGenerator
    private var noiseGenerator: SeededGenerator
    private var order: [Int]
    // Batch buffers, reused for every batch: `[batch, featureCount]`.
    private let clean = Tensor(shape: [0, 0])
    private let noisy = Tensor(shape: [0, 0])
    private let outputGradient = Tensor(shape: [0, 0])
    /// `[batch, conditionCount]`: the condition of a conditional model (one-hot labels), else unused.
    private let labelCondition = Tensor(shape: [0, 0])
    /// The mean training image, `[featureCount]`: the baseline an inpainting model must beat.
    private lazy var meanTrainingImage: [Float] = Self.meanImage(of: data.train)

    /// Images per forward pass when evaluating a dense model (large products run faster).
    static let evaluationBatchSize = 500

    /// Images per forward pass when evaluating: 500 for models of dense layers (dense, and VAEs on a dense
    /// backbone), the training batch for the others,
    /// whose layers keep per-image activations of tens of thousands of values (a 500-image batch through
    /// the strided-conv model would hold about 400 MB).
    var evaluationBatchCapacity: Int {
        configuration.model.effectiveBackbone == .dense ? Self.evaluationBatchSize : configuration.batchSize
    }

    /// Prepares a run: validates the configuration, splits the data and initialises the model.
    public init(configuration: TrainingConfiguration, dataset: LabeledDataset) throws(TrainingError) {
        let problems = configuration.settingProblems
        guard problems.isEmpty else { throw .invalidConfiguration(problems) }
        let splits: DatasetSplits
        do {
            splits = try dataset.splits(
                validationCount: configuration.data.validationCount, trainingLimit: configuration.data.trainingLimit)
        } catch {
            throw .unsuitableData(error.description)
        }
        if let limit = configuration.data.evaluationLimit {
            data = DatasetSplits(
                train: splits.train,
                validation: splits.validation.subset(0..<min(limit, splits.validation.count)),
                test: splits.test.subset(0..<min(limit, splits.test.count)))
        } else {
            data = splits
        }
        self.configuration = configuration
        shape = dataset.train.shape
        if let problem = configuration.model.shapeProblems(for: shape).first {
            throw .unsuitableData("model.\(problem) (\(dataset.name) images are \(shape))")
        }
        model = Autoencoder.make(
            for: configuration.model, shape: shape, classCount: max(dataset.classNames.count, 1), seed: configuration.seed)
        optimizer = Adam(parameters: model.parameters, configuration: configuration.optimizer)
        penalty = ActivityPenalty(weight: configuration.model.sparsity)
        shuffleGenerator = SeededGenerator(seed: configuration.seed, stream: RandomStream.shuffling.rawValue)
        noiseGenerator = SeededGenerator(seed: configuration.seed, stream: RandomStream.trainingNoise.rawValue)
        order = Array(0..<data.train.count)
        let batch = min(configuration.batchSize, data.train.count)
        for tensor in [clean, noisy, outputGradient] { tensor.reshape(to: [batch, shape.featureCount]) }
    }

    /// Trains for the configured number of epochs (or until `stop` is requested), evaluating on the
    /// validation split after each epoch and on the test split at the end.
    ///
    /// - Parameters:
    ///   - progressInterval: report `.progress` every this many batches.
    ///   - observe: receives every event, on the calling thread.
    public func run(
        stop: StopSignal = StopSignal(), progressInterval: Int = 200, observe: (TrainingEvent) -> Void = { _ in }
    ) throws(TrainingError) -> TrainingSummary {
        let start = ContinuousClock.now
        var epochs: [EpochMetrics] = []
        var stoppedEarly = false
        while completedEpochs < configuration.epochs {
            guard let metrics = try trainEpoch(stop: stop, progressInterval: progressInterval, observe: observe) else {
                stoppedEarly = true
                break
            }
            epochs.append(metrics)
            observe(.epochCompleted(metrics))
            if stop.isRequested, completedEpochs < configuration.epochs {
                stoppedEarly = true
                break
            }
        }
        let test = evaluate(data.test, noiseStream: .testNoise)
        return TrainingSummary(
            parameterCount: model.parameterCount, epochs: epochs, test: test,
            stoppedEarly: stoppedEarly, seconds: (ContinuousClock.now - start).seconds)
    }

    /// Runs one epoch of training steps followed by validation; `nil` when stopped part-way (the partial
    /// epoch's updates are kept, but it does not count as completed).
    public func trainEpoch(
        stop: StopSignal = StopSignal(), progressInterval: Int = 200, observe: (TrainingEvent) -> Void = { _ in }
    ) throws(TrainingError) -> EpochMetrics? {
        let epoch = completedEpochs + 1
        let batchSize = configuration.batchSize
        let sampleCount = order.count
        let batchCount = (sampleCount + batchSize - 1) / batchSize
        order.shuffle(using: &shuffleGenerator)
        let start = ContinuousClock.now
        var objectiveSum: Double = 0, penaltySum: Double = 0, reconstructionSum: Double = 0, klSum: Double = 0
        for batch in 0..<batchCount {
            if stop.isRequested { return nil }
            let lower = batch * batchSize
            let upper = min(lower + batchSize, sampleCount)
            let losses = step(indices: order[lower..<upper])
            let objective = losses.objective
            guard objective.isFinite else { throw .diverged(epoch: epoch, batch: batch + 1, loss: objective) }
            let weight = Double(upper - lower)
            objectiveSum += objective * weight
            penaltySum += losses.penalty * weight
            reconstructionSum += losses.reconstruction * weight
            klSum += losses.klDivergence * weight
            if progressInterval > 0, (batch + 1) % progressInterval == 0, batch + 1 < batchCount {
                let elapsed = (ContinuousClock.now - start).seconds
                observe(
                    .progress(
                        TrainingProgress(
                            epoch: epoch, epochCount: configuration.epochs, batch: batch + 1, batchCount: batchCount,
                            runningLoss: objectiveSum / Double(upper), samplesPerSecond: Double(upper) / elapsed)))
            }
        }
        let trainingSeconds = (ContinuousClock.now - start).seconds
        let evaluationStart = ContinuousClock.now
        let validation = evaluate(data.validation, noiseStream: .validationNoise)
        completedEpochs = epoch
        let count = Double(sampleCount)
        var metrics = EpochMetrics(
            epoch: epoch, trainLoss: objectiveSum / count, trainPenalty: penaltySum / count,
            validation: validation, trainingSeconds: trainingSeconds,
            evaluationSeconds: (ContinuousClock.now - evaluationStart).seconds,
            samplesPerSecond: count / trainingSeconds)
        if model.bottleneck != nil {
            metrics.trainReconstruction = reconstructionSum / count
            metrics.trainKLDivergence = klSum / count
        }
        return metrics
    }

    /// The loss terms of one step, each averaged over the batch.
    struct StepLosses {
        /// The reconstruction loss (mean over values).
        var reconstruction: Double
        /// The L1 activity penalty.
        var penalty: Double
        /// The mean KL divergence per image (nats); 0 for non-variational models.
        var klDivergence: Double
        /// What is minimised: reconstruction + penalty + β·KL / featureCount (the KL per value, so that
        /// with the per-value reconstruction loss this is the usual per-image objective divided by the
        /// number of values).
        var objective: Double
    }

    /// The weight of the batch's summed KL divergence in the objective: β / (batch · featureCount).
    private func klWeight(batch: Int) -> Float {
        guard model.bottleneck != nil else { return 0 }
        return configuration.model.beta / Float(batch * shape.featureCount)
    }

    /// One optimisation step on the training images at `indices`: fresh noise, forward, loss against the
    /// clean images, backward, Adam.
    func step(indices: ArraySlice<Int>) -> StepLosses {
        prepareBatch(indices: indices)
        let reconstruction = forwardAndLoss()
        let penalty = backward()
        let kl = model.klDivergence
        let objective =
            reconstruction + penalty + Double(configuration.model.beta) * kl / Double(shape.featureCount)
        if objective.isFinite { optimizer.step() }
        return StepLosses(reconstruction: reconstruction, penalty: penalty, klDivergence: kl, objective: objective)
    }

    /// Converts the images at `indices` to `clean` and corrupts them into `noisy`; fills the label
    /// condition of a label-conditioned model.
    func prepareBatch(indices: ArraySlice<Int>) {
        let count = indices.count
        for tensor in [clean, noisy] { tensor.setBatchSize(count) }
        clean.scalars.withUnsafeMutableBufferPointer { clean in
            data.train.copyPixels(at: indices, scaledInto: clean)
            noisy.scalars.withUnsafeMutableBufferPointer { noisy in
                configuration.noise.apply(
                    clean: UnsafeBufferPointer(clean), into: noisy, imageCount: count, shape: shape,
                    generator: &noiseGenerator)
            }
        }
        fillLabelCondition(data.train, indices: indices)
    }

    /// Runs the model on `noisy` and returns the loss against `clean`, leaving its gradient in `outputGradient`.
    func forwardAndLoss() -> Double {
        let output = runModel(clean: clean, noisy: noisy, mode: .training)
        outputGradient.reshape(to: output.shape)
        return output.scalars.withUnsafeBufferPointer { output in
            clean.scalars.withUnsafeBufferPointer { clean in
                outputGradient.scalars.withUnsafeMutableBufferPointer { gradient in
                    configuration.loss.evaluate(output: output, target: clean, gradient: gradient)
                }
            }
        }
    }

    /// The model's output for a batch: the corrupted images in, or for an inpainting CVAE, the clean
    /// images into the encoder and the corrupted ones as the condition; a label-conditioned model gets
    /// the labels last filled by `fillLabelCondition`.
    func runModel(clean: Tensor, noisy: Tensor, mode: ExecutionMode) -> Tensor {
        switch model.conditioning {
        case .none: model.forward(noisy, mode: mode)
        case .label: model.forward(noisy, condition: labelCondition, mode: mode)
        case .corruptedImage: model.forward(clean, condition: noisy, mode: mode)
        }
    }

    /// Sets `labelCondition` to the one-hot labels of the images at `indices` of `images`.
    func fillLabelCondition(_ images: ImageSet, indices: some Collection<Int>) {
        guard case .label(let classCount) = model.conditioning else { return }
        labelCondition.reshape(to: [indices.count, classCount])
        labelCondition.scalars.withUnsafeMutableBufferPointer { condition in
            condition.update(repeating: 0)
            for (row, index) in indices.enumerated() {
                let label = images.label(at: index)
                if label < classCount { condition[row * classCount + label] = 1 }
            }
        }
    }

    /// Back-propagates `outputGradient`, the code penalty and the KL term; returns the penalty.
    func backward() -> Double {
        model.backward(outputGradient, codePenalty: penalty, klWeight: klWeight(batch: clean.batchSize))
    }

    /// The batch buffers `prepareBatch` fills, `[batch, featureCount]` each: for benchmarks that run the
    /// layers one by one.
    var batchTensors: (clean: Tensor, noisy: Tensor, outputGradient: Tensor) { (clean, noisy, outputGradient) }

    /// Applies Adam to the gradients of the last backward pass.
    func optimizerStep() {
        optimizer.step()
    }

    /// The model's figures on `images`, each corrupted with noise fixed per image: image `i` always gets
    /// the same noise, whatever the batch size or epoch.
    ///
    /// The noisy input is measured beside the output, and each image's PSNR gain over it is averaged
    /// (no gain without corruption). With an occluding corruption (random erasing, block mask) the
    /// figures restricted to the hidden region are added, beside those of filling it with the mean
    /// training image.
    public func evaluate(_ images: ImageSet, noiseStream: RandomStream) -> EvaluationMetrics {
        let featureCount = shape.featureCount
        let noiseSeed = fixedNoiseSeed(noiseStream)
        let batchCapacity = min(evaluationBatchCapacity, max(images.count, 1))
        let clean = Tensor(shape: [batchCapacity, featureCount])
        let noisy = Tensor(shape: [batchCapacity, featureCount])
        let occluded = configuration.noise.isOcclusion
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
                images, indices: lower..<upper, noiseSeed: noiseSeed, clean: clean, noisy: noisy,
                occlusion: occluded ? occlusion : nil)
            fillLabelCondition(images, indices: lower..<upper)
            let output = runModel(clean: clean, noisy: noisy, mode: .inference)
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
            psnrGain: configuration.noise == Corruption.none ? nil : quality.psnrGain,
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
    }
}

extension Trainer {
    /// The seed of a held-out split's fixed noise.
    func fixedNoiseSeed(_ stream: RandomStream) -> UInt64 {
        var generator = SeededGenerator(seed: configuration.seed, stream: stream.rawValue)
        return generator.next()
    }

    /// Fills `clean` and `noisy` with the images at `indices`, each corrupted with noise drawn from its
    /// own stream (its index), so an image always gets the same noise whatever the batch or epoch;
    /// `occlusion`, when given, receives the corruption's hidden region (1) as `Corruption.apply` marks it.
    func prepareWithFixedNoise(
        _ images: ImageSet, indices: some Collection<Int>, noiseSeed: UInt64, clean: Tensor, noisy: Tensor,
        occlusion: Tensor? = nil
    ) {
        let featureCount = images.shape.featureCount
        for tensor in [clean, noisy] + (occlusion.map { [$0] } ?? []) {
            tensor.reshape(to: [indices.count, featureCount])
        }
        clean.scalars.withUnsafeMutableBufferPointer { clean in
            images.copyPixels(at: indices, scaledInto: clean)
            noisy.scalars.withUnsafeMutableBufferPointer { noisy in
                withMask(occlusion) { mask in
                    for (position, index) in indices.enumerated() {
                        var generator = SeededGenerator(seed: noiseSeed, stream: UInt64(index))
                        let range = (position * featureCount)..<((position + 1) * featureCount)
                        configuration.noise.apply(
                            clean: UnsafeBufferPointer(rebasing: clean[range]),
                            into: UnsafeMutableBufferPointer(rebasing: noisy[range]), imageCount: 1,
                            shape: images.shape, generator: &generator,
                            occlusion: mask.map { UnsafeMutableBufferPointer(rebasing: $0[range]) })
                    }
                }
            }
        }
    }

    /// Runs `body` with the scalars of `mask`, or `nil` when there is none.
    private func withMask(_ mask: Tensor?, _ body: (UnsafeMutableBufferPointer<Float>?) -> Void) {
        guard let mask else { return body(nil) }
        mask.scalars.withUnsafeMutableBufferPointer { body($0) }
    }

    /// The per-value mean of `images`, `[featureCount]`.
    static func meanImage(of images: ImageSet) -> [Float] {
        let featureCount = images.shape.featureCount
        var sums = [Double](repeating: 0, count: featureCount)
        var buffer = [Float](repeating: 0, count: featureCount * 256)
        var lower = 0
        while lower < images.count {
            let upper = min(lower + 256, images.count)
            buffer.withUnsafeMutableBufferPointer { images.copyPixels(at: lower..<upper, scaledInto: $0) }
            for image in 0..<(upper - lower) {
                for feature in 0..<featureCount { sums[feature] += Double(buffer[image * featureCount + feature]) }
            }
            lower = upper
        }
        let count = Double(max(images.count, 1))
        return sums.map { Float($0 / count) }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
