// Sample trials and results for tests. Written to move as is to Tests/TestSupport/SampleResults.swift once the
// TestSupport target depends on Training and Sweep; until then it lives here, visible to SweepTests only.

import Foundation
import Sweep
import Training

/// Small, distinct, fully populated trial and result values.
public enum SampleResults {
    /// A trial of a 2-epoch model on MNIST at one grid point, swept over `noise.sigma`, `learning_rate` and
    /// `encoder`. `sigma: 1.0` checks that a whole-number Double stays a Double.
    public static func trial(seed: UInt64 = 0, sigma: Double = 0.5, learningRate: Double = 1e-3) -> Trial {
        var configuration = TrainingConfiguration()
        configuration.data = DataConfiguration(name: "mnist", validationCount: 1_000, trainingLimit: 2_000)
        configuration.model.encoderWidths = [64, 16]
        configuration.noise = .gaussian(standardDeviation: Float(sigma), clip: true)
        configuration.optimizer.learningRate = Float(learningRate)
        configuration.epochs = 2
        configuration.seed = seed
        return Trial(
            configuration: configuration,
            parameters: [
                "noise.sigma": .number(sigma),
                "optimizer.learning_rate": .number(learningRate),
                "model.encoder": .list([.integer(64), .integer(16)]),
                "loss": .text("mse"),
                "noise.clip": .boolean(true),
            ])
    }

    /// `count` trials: seeds 0, 1, 2, … at sigma 0.5.
    public static func trials(count: Int, sigma: Double = 0.5) -> [Trial] {
        (0..<count).map { trial(seed: UInt64($0), sigma: sigma) }
    }

    /// Validation or test figures whose loss is `loss`.
    public static func evaluation(loss: Double) -> EvaluationMetrics {
        EvaluationMetrics(
            imageCount: 1_000, loss: loss,
            denoised: ReconstructionQuality(mse: loss, psnr: 10 * log10(1 / loss), snr: 12.5),
            noisy: ReconstructionQuality(mse: 0.25, psnr: 6.02, snr: 3.1),
            codeMeanActivation: 0.31, codeNearZeroFraction: 0.04)
    }

    /// The metrics of one epoch.
    public static func epoch(_ epoch: Int, loss: Double = 0.05) -> EpochMetrics {
        EpochMetrics(
            epoch: epoch, trainLoss: loss * 1.1, trainPenalty: 0, validation: evaluation(loss: loss),
            trainingSeconds: 1.25, evaluationSeconds: 0.125, samplesPerSecond: 1_600)
    }

    /// What training `trial` could have produced: one epoch per configured epoch, ending at `loss`.
    public static func summary(for trial: Trial, loss: Double = 0.02) -> TrainingSummary {
        let count = trial.configuration.epochs
        return TrainingSummary(
            parameterCount: 102_480,
            epochs: (1...count).map { epoch($0, loss: loss * Double(count - $0 + 1)) },
            test: evaluation(loss: loss), stoppedEarly: false, seconds: 2.75)
    }

    /// A finished trial.
    public static func result(for trial: Trial, loss: Double = 0.02, worker: String? = "node-1:4242", seconds: Double = 3.5)
        -> TrialResult
    {
        TrialResult(trial: trial, summary: summary(for: trial, loss: loss), worker: worker, seconds: seconds)
    }
}
