// `aesweep bench reference`: the training core against PyTorch on the same protocol.

import Datasets
import Foundation
import Training

/// Trains the classic 784-512-256-128-30 denoising autoencoder on MNIST exactly as a PyTorch reference
/// run did, for several seeds, and compares the mean validation PSNR per epoch with PyTorch's figures.
///
/// The protocol: the first 50,000 training images for training and the last 10,000 for validation;
/// Gaussian σ = 0.5 added then clipped to [0, 1], fresh each batch, validation noise drawn once; ReLU
/// inside, a linear code, a sigmoid output; MSE averaged over pixels; Adam lr 1e-3, β (0.9, 0.999),
/// ε 1e-8, weight decay 1e-5 added to the gradient; batch 128, shuffled each epoch, last partial batch
/// kept; PyTorch's default initialisation; PSNR per image, averaged.
public struct ReferenceComparison: Sendable {
    /// PyTorch 2.15 on CPU, mean of seeds 0–2: validation PSNR (dB) after epochs 1, 2 and 5.
    public static let pytorchValidationPSNR: [Int: Double] = [1: 13.3, 2: 14.4, 5: 15.9]
    /// PyTorch's noisy-input PSNR on the same protocol.
    public static let pytorchNoisyPSNR = 9.4
    /// How far the mean may be from PyTorch's at each of those epochs.
    public static let tolerance = 0.3

    public var seeds: [UInt64] = [0, 1, 2]
    public var epochs = 5

    public init() {}

    /// The protocol's configuration for one seed.
    public func configuration(seed: UInt64) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(name: "mnist", validationCount: 10_000)
        configuration.model = ModelConfiguration(encoderWidths: [512, 256, 128, 30], codeActivation: .linear)
        configuration.noise = .gaussian(standardDeviation: 0.5, clip: true)
        configuration.loss = .mse
        configuration.optimizer = AdamConfiguration(
            learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-5)
        configuration.batchSize = 128
        configuration.epochs = epochs
        configuration.seed = seed
        return configuration
    }

    /// One epoch's figures across seeds.
    public struct EpochComparison: Codable, Sendable {
        public var epoch: Int
        public var psnrBySeed: [Double]
        public var meanPSNR: Double
        public var standardDeviation: Double
        public var noisyPSNR: Double
        public var pytorchPSNR: Double?
        /// Whether the mean is within `tolerance` of PyTorch's (nil where PyTorch gave no figure).
        public var withinTolerance: Bool?
    }

    /// Runs every seed on `dataset` (MNIST) and compares; `progress` hears about each finished epoch.
    public func run(
        dataset: LabeledDataset, progress: (UInt64, EpochMetrics) -> Void = { _, _ in }
    ) throws -> [EpochComparison] {
        var psnr: [[Double]] = Array(repeating: [], count: epochs)
        var noisy: [Double] = Array(repeating: 0, count: epochs)
        for seed in seeds {
            let trainer = try Trainer(configuration: configuration(seed: seed), dataset: dataset)
            while trainer.completedEpochs < epochs {
                guard let metrics = try trainer.trainEpoch() else { break }
                psnr[metrics.epoch - 1].append(metrics.validation.denoised.psnr)
                noisy[metrics.epoch - 1] = metrics.validation.noisy.psnr
                progress(seed, metrics)
            }
        }
        return (1...epochs).map { epoch in
            let values = psnr[epoch - 1]
            let mean = values.reduce(0, +) / Double(max(values.count, 1))
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(values.count - 1, 1))
            let reference = Self.pytorchValidationPSNR[epoch]
            return EpochComparison(
                epoch: epoch, psnrBySeed: values, meanPSNR: mean, standardDeviation: variance.squareRoot(),
                noisyPSNR: noisy[epoch - 1], pytorchPSNR: reference,
                withinTolerance: reference.map { abs(mean - $0) <= Self.tolerance })
        }
    }
}
