import Benchmarks
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
        emitWrapped(
            "\(configuration.data.name) from \(dataset.directory.path): \(trainer.data.train.count) train, "
                + "\(trainer.data.validation.count) validation, \(trainer.data.test.count) test images")
        emitWrapped(
            "model \(configuration.model.family.rawValue) \(architecture) "
                + "(\(trainer.model.parameterCount) parameters), "
                + "code \(configuration.model.codeActivation.rawValue), dropout \(configuration.model.dropout), "
                + "sparsity \(configuration.model.sparsity); noise \(configuration.noise.summary); "
                + "loss \(configuration.loss.rawValue); batch \(configuration.batchSize); seed \(configuration.seed); "
                + "BLAS \(BLASRuntime.coreName) × \(BLASRuntime.threadCount)")
        emit(Self.columns.map { pad($0.title, $0.width) }.joined())
    }

    /// The per-epoch row's columns, each wider than its title, 79 characters together so that a row fits
    /// an 80-column terminal; SNR, the code figures and timings are in `--json` and the test lines.
    private static let columns: [(title: String, width: Int)] = [
        ("epoch", 6), ("train loss", 11), ("val loss", 10), ("val PSNR", 9), ("(noisy)", 9), ("gain", 7),
        ("SSIM", 8), ("(noisy)", 9), ("samples/s", 10),
    ]

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
            let cells = [
                "\(metrics.epoch)", format(metrics.trainLoss, 5), format(validation.loss, 5),
                format(validation.denoised.psnr, 2), "(" + format(validation.noisy.psnr, 2) + ")",
                gain(validation.psnrGain), ssim(validation.denoised.ssim), "(" + ssim(validation.noisy.ssim) + ")",
                format(metrics.samplesPerSecond, 0),
            ]
            emit(zip(cells, Self.columns).map { pad($0, $1.width) }.joined())
            for line in extras(validation, trainKL: metrics.trainKLDivergence) { emit("      " + line) }
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
            "test (\(test.imageCount) images): PSNR \(format(test.denoised.psnr, 2)) dB "
                + "(noisy \(format(test.noisy.psnr, 2)) dB), gain \(gain(test.psnrGain, unit: " dB"))")
        emit(
            "  SSIM \(ssim(test.denoised.ssim)) (noisy \(ssim(test.noisy.ssim))), "
                + "SNR \(format(test.denoised.snr, 2)) dB (noisy \(format(test.noisy.snr, 2)) dB)")
        emit(
            "  MSE \(format(test.denoised.mse, 5)), loss \(format(test.loss, 5)), "
                + "code mean \(format(test.codeMeanActivation, 3)), "
                + "code≈0 \(format(100 * test.codeNearZeroFraction, 1))%")
        for line in extras(test, trainKL: nil) { emit("  " + line) }
        emit(
            "\(summary.epochs.count) epoch(s)\(summary.stoppedEarly ? " (stopped early)" : ""), "
                + "\(format(summary.seconds, 1)) s, peak memory \(format(peak, 1)) MiB")
    }

    /// The figures only some models have, a line each: KL divergence (variational) and the hidden
    /// region's PSNR (inpainting).
    private func extras(_ metrics: EvaluationMetrics, trainKL: Double?) -> [String] {
        var lines: [String] = []
        if let kl = metrics.klDivergence {
            lines.append("KL \(format(kl, 2)) nats" + (trainKL.map { " (train \(format($0, 2)))" } ?? ""))
        }
        if let masked = metrics.masked {
            lines.append(
                "masked PSNR \(format(masked.denoised.psnr, 2)) dB (mean fill \(format(masked.meanFill.psnr, 2)), "
                    + "input \(format(masked.noisy.psnr, 2)))")
        }
        return lines
    }

    /// The PSNR gain with its sign (and `unit`), `—` without noise.
    private func gain(_ value: Double?, unit: String = "") -> String {
        value.map { ($0 >= 0 ? "+" : "") + format($0, 2) + unit } ?? "—"
    }

    /// SSIM to 4 decimals, `—` for images too small to measure.
    private func ssim(_ value: Double?) -> String {
        value.map { format($0, 4) } ?? "—"
    }

    private func printJSON<T: Encodable>(_ value: T) {
        if let data = try? TrainingOutputDirectory.makeJSONEncoder().encode(value) {
            emit(String(decoding: data, as: UTF8.self))
        }
    }

    /// The widest line written, so that the output fits an 80-column terminal without wrapping.
    private static let lineWidth = 79

    /// Writes `text` as lines of at most `lineWidth` characters, broken between words, continuation
    /// lines indented by two spaces.
    private func emitWrapped(_ text: String) {
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count > Self.lineWidth {
                emit(line)
                line = "  " + word
            } else {
                line += " " + word
            }
        }
        if !line.isEmpty { emit(line) }
    }

    /// Writes a line straight to standard output, unbuffered, so progress shows at once even in a pipe.
    private func emit(_ line: String) {
        StandardOutput.write(line + "\n")
    }

    private func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}
