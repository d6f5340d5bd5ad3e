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
    public internal(set) var completedEpochs = 0
    /// The metrics of every completed epoch, in order: those before a restored checkpoint included.
    public internal(set) var completedEpochMetrics: [EpochMetrics] = []
    /// How many times `order` has been shuffled (once per epoch begun, completed or not).
    var shuffleCount = 0

    private let shape: ImageShape
    let optimizer: Adam
    private let penalty: ActivityPenalty
    var shuffleGenerator: SeededGenerator
    var noiseGenerator: SeededGenerator
    /// The training images in the order of the current epoch, shuffled at the start of each.
    var order: [Int]
    // Batch buffers, reused for every batch: `[batch, featureCount]`.
    private let clean = Tensor(shape: [0, 0])
    private let noisy = Tensor(shape: [0, 0])
    private let outputGradient = Tensor(shape: [0, 0])
    /// `[batch, conditionCount]`: the condition of a conditional model (one-hot labels), else unused.
    private let labelCondition = Tensor(shape: [0, 0])
    /// Figures, outputs and codes of the model on held-out images: the per-epoch validation, the test
    /// split at the end, previews and reports.
    public let evaluator: Evaluator

    /// Prepares a run: validates the configuration, splits the data and initialises the model.
    public init(configuration: TrainingConfiguration, dataset: LabeledDataset) throws(TrainingError) {
        let problems = configuration.settingProblems
        guard problems.isEmpty else { throw .invalidConfiguration(problems) }
        data = try configuration.splits(of: dataset)
        self.configuration = configuration
        shape = dataset.train.shape
        if let problem = configuration.model.shapeProblems(for: shape).first {
            throw .unsuitableData("model.\(problem) (\(dataset.name) images are \(shape))")
        }
        model = Autoencoder.make(
            for: configuration.model, shape: shape, classCount: max(dataset.classNames.count, 1), seed: configuration.seed)
        evaluator = Evaluator(model: model, configuration: configuration, trainingImages: data.train)
        optimizer = Adam(parameters: model.parameters, configuration: configuration.optimizer)
        penalty = ActivityPenalty(weight: configuration.model.sparsity)
        shuffleGenerator = SeededGenerator(seed: configuration.seed, stream: RandomStream.shuffling.rawValue)
        noiseGenerator = SeededGenerator(seed: configuration.seed, stream: RandomStream.trainingNoise.rawValue)
        order = Array(0..<data.train.count)
        let batch = min(configuration.batchSize, data.train.count)
        for tensor in [clean, noisy, outputGradient] { tensor.reshape(to: [batch, shape.featureCount]) }
    }

    /// Trains for the configured number of epochs (or until `stop` is requested), evaluating on the
    /// validation split after each epoch and on the test split at the end. The summary holds every
    /// completed epoch, those trained before a restored checkpoint included.
    ///
    /// - Parameters:
    ///   - progressInterval: report `.progress` every this many batches.
    ///   - observe: receives every event, on the calling thread.
    public func run(
        stop: StopSignal = StopSignal(), progressInterval: Int = 200, observe: (TrainingEvent) -> Void = { _ in }
    ) throws(TrainingError) -> TrainingSummary {
        let start = ContinuousClock.now
        var stoppedEarly = false
        while completedEpochs < configuration.epochs {
            guard let metrics = try trainEpoch(stop: stop, progressInterval: progressInterval, observe: observe) else {
                stoppedEarly = true
                break
            }
            observe(.epochCompleted(metrics))
            if stop.isRequested, completedEpochs < configuration.epochs {
                stoppedEarly = true
                break
            }
        }
        let test = evaluator.evaluate(data.test, noiseStream: .testNoise)
        return TrainingSummary(
            parameterCount: model.parameterCount, epochs: completedEpochMetrics, test: test,
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
        shuffleCount += 1
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
        let validation = evaluator.evaluate(data.validation, noiseStream: .validationNoise)
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
        completedEpochMetrics.append(metrics)
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
        model.fillLabels(labelCondition, of: data.train, at: indices)
    }

    /// Runs the model on `noisy` and returns the loss against `clean`, leaving its gradient in `outputGradient`.
    func forwardAndLoss() -> Double {
        loss(of: model.run(clean: clean, noisy: noisy, labels: labelCondition, mode: .training)).loss
    }

    /// The loss of `output` against `clean`, its gradient left in `outputGradient` (also returned).
    func loss(of output: Tensor) -> (loss: Double, gradient: Tensor) {
        outputGradient.reshape(to: output.shape)
        let loss = output.scalars.withUnsafeBufferPointer { output in
            clean.scalars.withUnsafeBufferPointer { clean in
                outputGradient.scalars.withUnsafeMutableBufferPointer { gradient in
                    configuration.loss.evaluate(output: output, target: clean, gradient: gradient)
                }
            }
        }
        return (loss, outputGradient)
    }

    /// Back-propagates `outputGradient`, the code penalty and the KL term; returns the penalty.
    func backward() -> Double {
        model.backward(outputGradient, codePenalty: penalty, klWeight: klWeight(batch: clean.batchSize))
    }

    /// The corrupted batch `prepareBatch` filled, `[batch, featureCount]`: the model's input.
    var noisyBatch: Tensor { noisy }

    /// Applies Adam to the gradients of the last backward pass.
    func optimizerStep() {
        optimizer.step()
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
