import ArgumentParser
import Datasets
import Foundation
import Logging
import Reports
import Sweep

/// `aesweep report RUN_DIR`: the HTML and Markdown report of a stored run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.html (self-contained), report.md and the report's images for a run, a trial or a trained model.",
        discussion: """
            For a run directory: its summary, rankings and ranking files, plots of the ranking metric against \
            the swept keys, the denoising figures (PSNR and SSIM against the noise level beside the noisy \
            input, the PSNR gain), sparsity against quality over λ, loss curves; and, from the stored weights \
            on the datasets found on the data search path, reconstructions, the epoch strip, the best model's \
            latent map (its 2 code units as they are, else t-SNE), an interpolation, samples from a VAE's \
            prior, a PCA baseline and a cross-noise map. With --trial ID (repeatable; a unique prefix is \
            enough), the same single-model report for that trial, in RUN_DIR/trial-ID/. For a directory \
            `aesweep train --output` wrote, the single-model report of its model, in that directory.

            The datasets are looked for under --data-dir, then where the sweep's coordinator found them \
            (recorded in the store), then on the usual search path. When a part's dataset is not found, no \
            report is written and the one already there is kept (exit 66), unless --allow-missing: then the \
            report lists what it lacks at its top. Every sweep also writes its report when it ends (unless \
            --no-report), with whatever data it has.

            Exit codes: 0 written; 1 the run or model cannot be read or the report written; 64 bad usage; 66 a \
            part's dataset is missing (nothing written).
            """
    )

    @Argument(help: "A run directory (e.g. runs/quickstart) or a directory `aesweep train --output` wrote.")
    var path: String

    @Option(name: .customLong("trial"), help: "Report on this trial of the run alone (repeatable; a unique id prefix).")
    var trials: [String] = []

    @OptionGroup var runtime: RuntimeOptions

    @Option(name: .customLong("latent-points"), help: "Test images in the latent map.")
    var latentPoints = 2000

    @Option(name: .customLong("evaluation-images"), help: "Test images of every re-evaluation (cross-noise map, PCA).")
    var evaluationImages = 1000

    @Option(
        name: .customLong("pca-components"),
        help: "Principal components of the PCA baseline: a number, or auto for the model's code size.")
    var pcaComponents: ReportOptions.BaselineComponents = .count(30)

    @Option(help: "Seed of the report's subsamples, t-SNE and prior samples.")
    var seed: UInt64 = 0

    @Flag(help: "Write the report even when a part's dataset is missing, listing what it lacks at its top.")
    var allowMissing = false

    func run() throws {
        runtime.applyBLASThreads()
        let logger = Logs.bootstrap(level: nil, default: .warning)
        let url = URL(fileURLWithPath: path, isDirectory: true)
        var options = ReportOptions(searchPath: runtime.data.searchPath)
        options.latentMapPoints = latentPoints
        options.evaluationImages = evaluationImages
        options.pcaComponents = pcaComponents
        options.seed = seed
        options.allowsMissingData = allowMissing
        let fileManager = FileManager.default
        let isRun = fileManager.fileExists(atPath: url.appendingPathComponent(SweepStore.fileName).path)
        let isTrainingOutput = fileManager.fileExists(atPath: url.appendingPathComponent("config.yaml").path)
        do {
            if !isRun, isTrainingOutput {
                guard trials.isEmpty else {
                    throw Failure.exit(
                        message: "\(url.path): --trial needs a run directory; this is a `train --output` directory (one model)",
                        code: ExitCode(64))  // bad usage
                }
                let model = try ModelRecord.trainingOutput(url)
                Self.show(try ModelReportWriter(model: model, options: options, logger: logger).write())
                return
            }
            if !isRun, !fileManager.fileExists(atPath: url.path) {
                throw ReportError.unreadableRun(directory: url.path, reason: "no such directory")
            }
            if !isRun {
                throw ReportError.unreadableRun(
                    directory: url.path,
                    reason: "neither a run directory (no \(SweepStore.fileName)) nor a directory `aesweep train --output` "
                        + "wrote (no config.yaml)")
            }
            let record = try RunRecord.open(url)
            guard !trials.isEmpty else {
                Self.show(try ReportWriter(record: record, options: options, logger: logger).write())
                return
            }
            for trial in trials {
                let model = try ModelRecord.trial(trial, in: record)
                Self.show(try ModelReportWriter(model: model, options: options, logger: logger).write())
            }
        } catch let error as ReportError {
            if case .incomplete = error { throw Failure.exit(message: error.description, code: .missingData) }
            throw Failure.exit(message: error.description, code: .failure)
        }
    }

    static func show(_ outcome: ReportWriter.Outcome) {
        emit(String(format: "report written to %@ (%.1f s)", outcome.htmlFile.path, outcome.seconds))
        for omission in outcome.omissions { emit("  left out: \(omission)") }
    }
}
