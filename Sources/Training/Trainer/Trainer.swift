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

    /// Images per forward pass when evaluating.
    static let evaluationBatchSize = 500

    /// Prepares a run: validates the configuration, splits the data and initialises the model.
    public init(configuration: TrainingConfiguration, dataset: LabeledDataset) throws(TrainingError) {
        let problems = configuration.validationProblems
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
        if configuration.model.family == .conv {
            let scale = 1 << configuration.model.encoderWidths.count
            guard shape.height % scale == 0, shape.width % scale == 0 else {
                throw .unsuitableData(
                    "model.family conv pools \(configuration.model.encoderWidths.count) time(s): image sides must be "
                        + "divisible by \(scale), \(dataset.name) has \(shape.height)×\(shape.width)")
            }
        }
        model = Autoencoder.make(for: configuration.model, shape: shape, seed: configuration.seed)
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
            configuration: configuration, parameterCount: model.parameterCount, epochs: epochs, test: test,
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
        var objectiveSum: Double = 0, penaltySum: Double = 0
        for batch in 0..<batchCount {
            if stop.isRequested { return nil }
            let lower = batch * batchSize
            let upper = min(lower + batchSize, sampleCount)
            let (loss, penaltyValue) = step(indices: order[lower..<upper])
            let objective = loss + penaltyValue
            guard objective.isFinite else { throw .diverged(epoch: epoch, batch: batch + 1, loss: objective) }
            objectiveSum += objective * Double(upper - lower)
            penaltySum += penaltyValue * Double(upper - lower)
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
        return EpochMetrics(
            epoch: epoch, trainLoss: objectiveSum / Double(sampleCount), trainPenalty: penaltySum / Double(sampleCount),
            validation: validation, trainingSeconds: trainingSeconds,
            evaluationSeconds: (ContinuousClock.now - evaluationStart).seconds,
            samplesPerSecond: Double(sampleCount) / trainingSeconds)
    }

    /// One optimisation step on the training images at `indices`: fresh noise, forward, loss against the
    /// clean images, backward, Adam. Returns the reconstruction loss and the penalty.
    func step(indices: ArraySlice<Int>) -> (loss: Double, penalty: Double) {
        prepareBatch(indices: indices)
        let loss = forwardAndLoss()
        let penaltyValue = backward()
        if (loss + penaltyValue).isFinite { optimizer.step() }
        return (loss, penaltyValue)
    }

    /// Converts the images at `indices` to `clean` and corrupts them into `noisy`.
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
    }

    /// Runs the model on `noisy` and returns the loss against `clean`, leaving its gradient in `outputGradient`.
    func forwardAndLoss() -> Double {
        let output = model.forward(noisy, mode: .training)
        outputGradient.reshape(to: output.shape)
        return output.scalars.withUnsafeBufferPointer { output in
            clean.scalars.withUnsafeBufferPointer { clean in
                outputGradient.scalars.withUnsafeMutableBufferPointer { gradient in
                    configuration.loss.evaluate(output: output, target: clean, gradient: gradient)
                }
            }
        }
    }

    /// Back-propagates `outputGradient` and the code penalty; returns the penalty.
    func backward() -> Double {
        model.backward(outputGradient, codePenalty: penalty)
    }

    /// Applies Adam to the gradients of the last backward pass.
    func optimizerStep() {
        optimizer.step()
    }

    /// The model's figures on `images`, each corrupted with noise fixed per image: image `i` always gets
    /// the same noise, whatever the batch size or epoch.
    public func evaluate(_ images: ImageSet, noiseStream: RandomStream) -> EvaluationMetrics {
        let featureCount = shape.featureCount
        let noiseSeed = fixedNoiseSeed(noiseStream)
        let batchCapacity = min(Self.evaluationBatchSize, max(images.count, 1))
        let clean = Tensor(shape: [batchCapacity, featureCount])
        let noisy = Tensor(shape: [batchCapacity, featureCount])
        var denoisedQuality = ReconstructionQualityAccumulator()
        var noisyQuality = ReconstructionQualityAccumulator()
        var lossSum: Double = 0, codeSum: Double = 0, nearZeroCount = 0, codeValueCount = 0
        var lower = 0
        while lower < images.count {
            let upper = min(lower + batchCapacity, images.count)
            let count = upper - lower
            prepareWithFixedNoise(images, indices: lower..<upper, noiseSeed: noiseSeed, clean: clean, noisy: noisy)
            let output = model.forward(noisy, mode: .inference)
            clean.scalars.withUnsafeBufferPointer { clean in
                output.scalars.withUnsafeBufferPointer { output in
                    lossSum += configuration.loss.evaluate(output: output, target: clean, gradient: nil)
                        * Double(count)
                    denoisedQuality.add(images: output, clean: clean, imageCount: count, featureCount: featureCount)
                }
                noisy.scalars.withUnsafeBufferPointer { noisy in
                    noisyQuality.add(images: noisy, clean: clean, imageCount: count, featureCount: featureCount)
                }
            }
            if let code = model.code {
                code.scalars.withUnsafeBufferPointer { code in
                    var sum: Float = 0
                    for value in code {
                        sum += value
                        if abs(value) < EvaluationMetrics.codeNearZeroThreshold { nearZeroCount += 1 }
                    }
                    codeSum += Double(sum)
                    codeValueCount += code.count
                }
            }
            lower = upper
        }
        return EvaluationMetrics(
            imageCount: images.count, loss: lossSum / Double(max(images.count, 1)),
            denoised: denoisedQuality.result, noisy: noisyQuality.result,
            codeMeanActivation: codeSum / Double(max(codeValueCount, 1)),
            codeNearZeroFraction: Double(nearZeroCount) / Double(max(codeValueCount, 1)))
    }
}

extension Trainer {
    /// The seed of a held-out split's fixed noise.
    func fixedNoiseSeed(_ stream: RandomStream) -> UInt64 {
        var generator = SeededGenerator(seed: configuration.seed, stream: stream.rawValue)
        return generator.next()
    }

    /// Fills `clean` and `noisy` with the images at `indices`, each corrupted with noise drawn from its
    /// own stream (its index), so an image always gets the same noise whatever the batch or epoch.
    func prepareWithFixedNoise(
        _ images: ImageSet, indices: some Collection<Int>, noiseSeed: UInt64, clean: Tensor, noisy: Tensor
    ) {
        let featureCount = images.shape.featureCount
        clean.reshape(to: [indices.count, featureCount])
        noisy.reshape(to: [indices.count, featureCount])
        clean.scalars.withUnsafeMutableBufferPointer { clean in
            images.copyPixels(at: indices, scaledInto: clean)
            noisy.scalars.withUnsafeMutableBufferPointer { noisy in
                for (position, index) in indices.enumerated() {
                    var generator = SeededGenerator(seed: noiseSeed, stream: UInt64(index))
                    let range = (position * featureCount)..<((position + 1) * featureCount)
                    configuration.noise.apply(
                        clean: UnsafeBufferPointer(rebasing: clean[range]),
                        into: UnsafeMutableBufferPointer(rebasing: noisy[range]), imageCount: 1, shape: images.shape,
                        generator: &generator)
                }
            }
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
