// Runs one assigned trial with the shared training core, on the thread that calls it.

import Datasets
import Foundation
import Sweep
import Training

/// Runs trials for a worker: loads each dataset once and keeps it for later trials, trains with the
/// same `Trainer` that `aesweep train` uses, and turns its events into cluster messages.
public final class TrialRunner {
    /// How a worker runs its trials.
    public enum Mode: Sendable, Equatable {
        /// Train for real.
        case train
        /// Do no training work at all: answer each trial with a fixed, valid result, every epoch taking
        /// `epochSeconds` (0: all at once), or with a `spread`, a trial's epochs `epochSeconds` times a factor
        /// drawn for it uniformly from 1 − spread to 1 + spread. For measuring the coordinator's own overhead
        /// (`aesweep bench sweep`), and for rehearsing kills and restarts whose stores must equal a clean run's.
        case simulate(epochSeconds: Double, spread: Double = 0)

        /// Simulated trials, answered at once.
        public static let simulate = Mode.simulate(epochSeconds: 0)
    }

    public let mode: Mode
    /// The datasets of the trials run so far, loaded once each.
    private let datasets: DatasetCache
    /// Validation images whose outputs go with every epoch message.
    public var previewIndices = Array(0..<8)

    public init(mode: Mode, searchPath: DataSearchPath) {
        self.mode = mode
        datasets = DatasetCache(searchPath: searchPath)
    }

    /// Runs `assignment`, sending `progress` and `epoch` messages through `send` as they happen, and
    /// returns the trial's last message: its `result`, its `failure`, a `pause` with its checkpoint when it
    /// completed the epoch the assignment pauses after, or a `handBack` when `stop` ended it before (between
    /// batches). A trial that resumes continues from the assignment's checkpoint: its later epochs are, bit
    /// for bit with one BLAS thread, those of a run never paused. Every message presents the lease.
    public func run(
        _ assignment: TrialAssignment, stop: StopSignal, send: (ClusterMessage) -> Void
    ) -> ClusterMessage {
        let start = ContinuousClock.now
        let lease = assignment.lease
        switch mode {
        case .simulate(let meanSeconds, let spread):
            let epochSeconds = meanSeconds * Self.simulatedDurationFactor(spread: spread)
            let messages = Self.simulatedMessages(for: assignment)
            for (index, message) in messages.dropLast().enumerated() {
                if epochSeconds > 0, !Self.wait(seconds: epochSeconds, unless: stop) {
                    return .handBack(HandBack(lease: lease, reason: "stopped after \(index) epoch(s)"))
                }
                send(message)
            }
            // The result reports the trial's seconds on this worker, as a trained one does.
            guard case .result(var report) = messages.last! else { return messages.last! }
            report.seconds = (ContinuousClock.now - start).seconds
            return .result(report)
        case .train:
            do {
                let data = assignment.configuration.data
                let dataset = try datasets.dataset(data.name, options: data.datasetOptions)
                let trainer = try Trainer(configuration: assignment.configuration, dataset: dataset)
                if let epoch = assignment.resumeEpoch {
                    let source = "the checkpoint of trial \(assignment.trialId) after epoch \(epoch)"
                    try trainer.restore(from: TrainingCheckpoint(decoding: assignment.checkpoint, source: source), source: source)
                    guard trainer.completedEpochs == epoch else {
                        return .failure(
                            FailureReport(
                                lease: lease, reason: "\(source) holds \(trainer.completedEpochs) completed epoch(s)"))
                    }
                }
                let previews = previewIndices.filter { $0 < trainer.data.validation.count }
                func observe(_ event: TrainingEvent) {
                    switch event {
                    case .progress(let progress):
                        send(.progress(ProgressReport(lease: lease, progress: progress)))
                    case .epochCompleted(let metrics):
                        let preview = previews.isEmpty ? nil : trainer.evaluator.reconstruct(trainer.data.validation, indices: previews)
                        send(.epoch(EpochReport(lease: lease, metrics: metrics, preview: preview)))
                    }
                }
                if let pauseEpoch = assignment.pauseAfterEpoch, pauseEpoch < assignment.configuration.epochs {
                    while trainer.completedEpochs < pauseEpoch {
                        guard let metrics = try trainer.trainEpoch(stop: stop, observe: observe) else {
                            return .handBack(HandBack(lease: lease, reason: "stopped after \(trainer.completedEpochs) epoch(s)"))
                        }
                        observe(.epochCompleted(metrics))
                        if stop.isRequested, trainer.completedEpochs < pauseEpoch {
                            return .handBack(HandBack(lease: lease, reason: "stopped after \(trainer.completedEpochs) epoch(s)"))
                        }
                    }
                    return .pause(PauseReport(lease: lease, epoch: pauseEpoch, checkpoint: trainer.checkpoint().encoded()))
                }
                let summary = try trainer.run(stop: stop, observe: observe)
                if summary.stoppedEarly {
                    return .handBack(HandBack(lease: lease, reason: "stopped after \(summary.epochs.count) epoch(s)"))
                }
                let weights = trainer.model.weights(metadata: ["trial": assignment.trialId.rawValue]).encoded()
                return .result(
                    ResultReport(lease: lease, summary: summary, seconds: (ContinuousClock.now - start).seconds, weights: weights))
            } catch let error as DatasetError {
                return .failure(FailureReport(lease: lease, reason: error.description))
            } catch let error as TrainingError {
                return .failure(FailureReport(lease: lease, reason: error.description))
            } catch let error as PersistenceError {
                return .failure(FailureReport(lease: lease, reason: error.description))
            } catch {
                return .failure(FailureReport(lease: lease, reason: String(describing: error)))
            }
        }
    }

    /// How much longer or shorter than the mean a simulated trial's epochs take: uniform in 1 ± `spread`.
    public static func simulatedDurationFactor(spread: Double) -> Double {
        spread > 0 ? Double.random(in: (1 - spread)...(1 + spread)) : 1
    }

    /// Sleeps `seconds` in steps of at most 20 ms; false as soon as `stop` is requested.
    private static func wait(seconds: Double, unless stop: StopSignal) -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < end {
            if stop.isRequested { return false }
            Thread.sleep(forTimeInterval: min(0.02, max((end - ContinuousClock.now).seconds, 0)))
        }
        return !stop.isRequested
    }

    /// What a simulated trial sends, at once: each epoch from its start (1, or after the epoch it resumes
    /// from) to its end, then a result with the same fixed figures every time (so that two runs of one spec
    /// store equal results), no weights; or, when the assignment pauses before the last epoch, the epochs up
    /// to that one and a pause whose checkpoint names it.
    public static func simulatedMessages(for assignment: TrialAssignment) -> [ClusterMessage] {
        let summary = simulatedSummary(for: assignment.configuration)
        let first = (assignment.resumeEpoch ?? 0) + 1
        var last = summary.epochs.count
        var ending = ClusterMessage.result(ResultReport(lease: assignment.lease, summary: summary, seconds: 0, weights: Data()))
        if let pause = assignment.pauseAfterEpoch, pause < last {
            last = pause
            ending = .pause(
                PauseReport(lease: assignment.lease, epoch: pause, checkpoint: simulatedCheckpoint(after: pause)))
        }
        let epochs = first <= last ? Array(summary.epochs[(first - 1)..<last]) : []
        return epochs.map { .epoch(EpochReport(lease: assignment.lease, metrics: $0, preview: nil)) } + [ending]
    }

    /// What a simulated trial pauses with: a few bytes that name the epoch.
    public static func simulatedCheckpoint(after epoch: Int) -> Data {
        Data("simulated checkpoint after epoch \(epoch)".utf8)
    }

    /// A valid summary of the configuration's planned epochs with fixed figures: no PSNR gain when nothing
    /// corrupts the input.
    public static func simulatedSummary(for configuration: TrainingConfiguration) -> TrainingSummary {
        let quality = ReconstructionQuality(mse: 0.02, psnr: 17, snr: 7, ssim: 0.72)
        let noisy = ReconstructionQuality(mse: 0.1, psnr: 10, snr: 0, ssim: 0.25)
        let evaluation = EvaluationMetrics(
            imageCount: 0, loss: 0.02, denoised: quality, noisy: noisy,
            psnrGain: configuration.noise == Corruption.none ? nil : quality.psnr - noisy.psnr, codeMeanActivation: 0,
            codeNearZeroFraction: 0)
        let epochs = (1...max(configuration.epochs, 1)).map { epoch in
            EpochMetrics(
                epoch: epoch, trainLoss: 0.02, trainPenalty: 0, validation: evaluation, trainingSeconds: 0,
                evaluationSeconds: 0, samplesPerSecond: 0)
        }
        return TrainingSummary(parameterCount: 0, epochs: epochs, test: evaluation, stoppedEarly: false, seconds: 0)
    }
}
