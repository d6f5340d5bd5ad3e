import Datasets
import Foundation
import Training

/// Prints a training run for a person (aligned rows) or for a program (`--json`: JSON lines).
struct TrainingReporter: Sendable {
    let json: Bool

    func start(configuration: TrainingConfiguration, dataset: LabeledDataset, trainer: Trainer) {
        guard !json else { return }
        let model = configuration.model
        let widths = model.encoderWidths.map(String.init).joined(separator: "-")
        var architecture = "\(dataset.shape.featureCount)-\(widths) mirrored"
        if model.family.usesBackbone {
            architecture = "\(model.effectiveBackbone.rawValue) \(widths), latent \(model.latent)"
            if model.family.isVariational { architecture += ", β \(model.beta)" }
            if model.family == .cvae { architecture += ", conditioned on the \(model.condition == .label ? "label" : "corrupted image")" }
        } else if model.family != .dense {
            architecture = "\(dataset.shape) → \(widths)"
        }
        if model.batchNorm { architecture += ", batch norm" }
        emit(
            "\(configuration.data.name) from \(dataset.directory.path): \(trainer.data.train.count) train, "
                + "\(trainer.data.validation.count) validation, \(trainer.data.test.count) test images")
        emit(
            "model \(configuration.model.family.rawValue) \(architecture) "
                + "(\(trainer.model.parameterCount) parameters), "
                + "code \(configuration.model.codeActivation.rawValue), dropout \(configuration.model.dropout), "
                + "sparsity \(configuration.model.sparsity); noise \(configuration.noise.summary); "
                + "loss \(configuration.loss.rawValue); batch \(configuration.batchSize); seed \(configuration.seed); "
                + "BLAS \(BLASRuntime.coreName) × \(BLASRuntime.threadCount)")
        emit(
            "epoch   train loss   val loss   val PSNR  (noisy)   val SNR  code mean  code≈0   train s   samples/s")
    }

    func show(_ event: TrainingEvent) {
        switch event {
        case .progress(let progress):
            guard !json else { return }
            emit(
                "  … epoch \(progress.epoch) batch \(progress.batch)/\(progress.batchCount): loss "
                    + format(progress.runningLoss, 5) + ", \(format(progress.samplesPerSecond, 0)) samples/s")
        case .epochCompleted(let metrics):
            if json {
                printJSON(metrics)
                return
            }
            let validation = metrics.validation
            emit(
                pad("\(metrics.epoch)", 5) + pad(format(metrics.trainLoss, 5), 13) + pad(format(validation.loss, 5), 11)
                    + pad(format(validation.denoised.psnr, 2), 11) + pad("(" + format(validation.noisy.psnr, 2) + ")", 9)
                    + pad(format(validation.denoised.snr, 2), 10) + pad(format(validation.codeMeanActivation, 3), 11)
                    + pad(format(100 * validation.codeNearZeroFraction, 1) + "%", 8)
                    + pad(format(metrics.trainingSeconds, 1), 10) + pad(format(metrics.samplesPerSecond, 0), 12)
                    + extras(validation, trainKL: metrics.trainKLDivergence))
        }
    }

    func finish(_ summary: TrainingSummary) {
        let peak = Double(ResourceUsage.peakResidentBytes) / 1_048_576
        if json {
            printJSON(summary.test)
            return
        }
        let test = summary.test
        emit(
            "test (\(test.imageCount) images): loss \(format(test.loss, 5)), MSE \(format(test.denoised.mse, 5)), "
                + "PSNR \(format(test.denoised.psnr, 2)) dB (noisy \(format(test.noisy.psnr, 2)) dB), "
                + "SNR \(format(test.denoised.snr, 2)) dB (noisy \(format(test.noisy.snr, 2)) dB)"
                + extras(test, trainKL: nil))
        emit(
            "\(summary.epochs.count) epoch(s)\(summary.stoppedEarly ? " (stopped early)" : ""), "
                + "\(format(summary.seconds, 1)) s, peak memory \(format(peak, 1)) MiB")
    }

    /// The figures only some models have: KL divergence (variational) and the hidden region's PSNR (inpainting).
    private func extras(_ metrics: EvaluationMetrics, trainKL: Double?) -> String {
        var text = ""
        if let kl = metrics.klDivergence {
            text += "   KL \(format(kl, 2)) nats" + (trainKL.map { " (train \(format($0, 2)))" } ?? "")
        }
        if let masked = metrics.masked {
            text += "   masked PSNR \(format(masked.denoised.psnr, 2)) dB (mean fill \(format(masked.meanFill.psnr, 2)), "
                + "input \(format(masked.noisy.psnr, 2)))"
        }
        return text
    }

    private func printJSON<T: Encodable>(_ value: T) {
        if let data = try? TrainingOutputDirectory.makeJSONEncoder().encode(value) {
            emit(String(decoding: data, as: UTF8.self))
        }
    }

    /// Writes a line straight to standard output, unbuffered, so progress shows at once even in a pipe.
    private func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
