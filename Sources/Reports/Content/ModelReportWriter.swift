import Datasets
import Foundation
import Logging
import Training

/// Writes the report of one trained model (`ModelRecord`) into its directory: its configuration and figures
/// beside the noisy input's, how it learned epoch by epoch, its test reconstructions, its latent space
/// (with samples from the prior for a VAE) and the PCA baseline; the same files as a sweep's report.
public struct ModelReportWriter {
    public let model: ModelRecord
    public let options: ReportOptions
    let logger: Logger

    public init(model: ModelRecord, options: ReportOptions, logger: Logger) {
        self.model = model
        self.options = options
        self.logger = logger
    }

    /// Makes and writes the report; like a sweep's, it refuses (`.incomplete`) to replace a report when the
    /// model's dataset is missing, unless `options.allowsMissingData`.
    public func write() throws(ReportError) -> ReportWriter.Outcome {
        let start = ContinuousClock.now
        var omitted: [Omission] = []
        var parts = summary() + learning()
        parts += modelParts(omitted: &omitted)
        let missing = Omission.lines(omitted.filter(\.missingData))
        let htmlFile = model.directory.appendingPathComponent(ReportWriter.htmlFileName)
        if !options.allowsMissingData, !missing.isEmpty {
            throw .incomplete(
                missing: missing, keptFile: FileManager.default.fileExists(atPath: htmlFile.path) ? htmlFile.path : nil)
        }
        let omissions = Omission.lines(omitted)
        if !omissions.isEmpty {
            parts.insert(
                contentsOf: [
                    .section("Left out", level: 2),
                    .paragraph("This report lacks the following parts; the rest is complete."), .list(omissions),
                ], at: 0)
        }
        let subtitle =
            "\(model.configuration.model.summary) on \(model.configuration.data.name) · made "
            + ISO8601DateFormatter().string(from: Date()) + String(format: " in %.1f s", (ContinuousClock.now - start).seconds)
        do {
            try FileManager.default.createDirectory(at: model.directory, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(file: model.directory.path, reason: error.localizedDescription)
        }
        let written = try ReportWriter.writeDocument(parts, title: model.title, subtitle: subtitle, into: model.directory)
        return ReportWriter.Outcome(
            htmlFile: htmlFile, markdownFile: model.directory.appendingPathComponent(ReportWriter.markdownFileName),
            files: written, omissions: omissions, missingData: missing, seconds: (ContinuousClock.now - start).seconds)
    }

    var corrupts: Bool { model.configuration.noise != .none }

    func fileName(_ name: String, _ fileExtension: String) -> String {
        ReportWriter.filePath(name, fileExtension)
    }

    // MARK: Summary

    /// What the model is, its figures beside the noisy input's on the validation and test splits, and its
    /// whole configuration.
    func summary() -> [ReportPart] {
        let configuration = model.configuration
        var facts = [
            "Model: \(configuration.model.summary)"
                + (model.parameterCount.map { ", \($0.formatted()) parameters" } ?? ""),
            "Data: \(configuration.data.name); corruption: \(configuration.noise.summary)",
            "Epochs: \(model.epochs.count) of \(configuration.epochs)"
                + (model.test == nil ? " (no test figures: training did not finish)" : ""),
        ]
        facts += model.facts
        var rows: [[String]] = []
        if let validation = model.epochs.last?.validation { rows.append(["validation (last epoch)"] + cells(validation)) }
        if let test = model.test { rows.append(["test"] + cells(test)) }
        return [
            .section("Summary", level: 2), .list(facts),
            .table(
                ReportTable(
                    columns: [
                        .init("split"), .init("PSNR (dB)", alignment: .right), .init("noisy PSNR (dB)", alignment: .right),
                        .init("gain (dB)", alignment: .right), .init("SSIM", alignment: .right),
                        .init("noisy SSIM", alignment: .right), .init("MSE", alignment: .right),
                    ], rows: rows,
                    caption: corrupts
                        ? "The model's output and the noisy input it was given, against the clean images"
                        : "The model's output against its input (nothing corrupts it)")),
            .section("Configuration", level: 3), .code(configuration.yamlText()),
        ]
    }

    private func cells(_ metrics: EvaluationMetrics) -> [String] {
        func number(_ value: Double?, _ format: String) -> String { value.map { String(format: format, $0) } ?? "—" }
        return [
            number(metrics.denoised.psnr, "%.2f"), corrupts ? number(metrics.noisy.psnr, "%.2f") : "—",
            number(metrics.psnrGain, "%+.2f"), number(metrics.denoised.ssim, "%.4f"),
            corrupts ? number(metrics.noisy.ssim, "%.4f") : "—", number(metrics.denoised.mse, "%.5f"),
        ]
    }

    // MARK: Learning

    /// Loss and validation PSNR per epoch, and the stored validation images after each epoch.
    func learning() -> [ReportPart] {
        let epochs = model.epochs
        guard !epochs.isEmpty else { return [] }
        var parts: [ReportPart] = [.section("Learning, epoch by epoch", level: 2)]
        let loss = LineChart(
            title: "Loss per epoch", subtitle: "training objective (solid) and validation reconstruction loss (dashed)",
            xTitle: "epoch", yTitle: "loss", wholeNumberX: true,
            series: [
                LineChart.Series(name: "train", points: epochs.map { LineChart.Point(x: Double($0.epoch), y: $0.trainLoss) }, colorIndex: 0),
                LineChart.Series(
                    name: "validation", points: epochs.map { LineChart.Point(x: Double($0.epoch), y: $0.validation.loss) },
                    colorIndex: 0, dashed: true),
            ])
        parts.append(
            .figure(
                svg: loss.svg(width: 640, height: 360), fileName: fileName("loss-curves", "svg"),
                caption: "Training objective (reconstruction plus any penalty) and validation reconstruction loss after each epoch."))
        var psnrSeries = [
            LineChart.Series(
                name: "denoised", points: epochs.map { LineChart.Point(x: Double($0.epoch), y: $0.validation.denoised.psnr) })
        ]
        if corrupts {
            psnrSeries.append(
                LineChart.Series(
                    name: "noisy input", points: epochs.map { LineChart.Point(x: Double($0.epoch), y: $0.validation.noisy.psnr) },
                    colorIndex: ReportContent.noisyInputColor, dashed: true))
        }
        let psnr = LineChart(
            title: "Validation PSNR per epoch", subtitle: corrupts ? "with the noisy input it has to beat (dashed)" : nil,
            xTitle: "epoch", yTitle: "validation PSNR (dB)", wholeNumberX: true, series: psnrSeries)
        parts.append(
            .figure(
                svg: psnr.svg(width: 640, height: 360), fileName: fileName("psnr-by-epoch", "svg"),
                caption: "Validation PSNR after each epoch" + (corrupts ? ", and the noisy input's (the same every epoch)." : ".")))
        do {
            if let strip = try ModelFigures.epochStrip(
                model.previews, fileName: fileName("epochs", "png"), subject: model.subject, corrupts: corrupts)
            {
                parts.append(strip)
            }
        } catch {
            logger.debug("report: no epoch strip: \(error.description)")
        }
        return parts
    }

    // MARK: What the model does

    /// Reconstructions, the latent space and the PCA baseline, made now from the weights on the model's
    /// dataset; each left out with its reason when the dataset or model is unavailable.
    func modelParts(omitted: inout [Omission]) -> [ReportPart] {
        let needsModel = ["reconstructions", "the latent map", "the PCA baseline"]
        let searchPath = options.searchPath.including(recorded: model.recordedDataSearchPath)
        let trained: TrainedModel
        do throws(ReportError) {
            let dataset: LabeledDataset
            do {
                dataset = try DatasetCache(searchPath: searchPath).dataset(model.configuration.data.name, options: model.configuration.data.datasetOptions)
            } catch {
                throw ReportError.missingData(reason: error.description)
            }
            trained = try TrainedModel(
                name: model.subject, configuration: model.configuration, weights: model.weights, dataset: dataset,
                imageLimit: options.evaluationImages)
        } catch {
            let missingData = if case .missingData = error { true } else { false }
            omitted += needsModel.map { Omission(what: $0, item: nil, reason: error.description, missingData: missingData) }
            return []
        }
        var figures = ModelFigures(model: trained, options: options, subject: model.subject)
        var parts: [ReportPart] = [
            .section("Reconstructions", level: 2),
            .paragraph(
                corrupts
                    ? "The first \(options.reconstructionImages) test images corrupted (top row, with the fixed noise of "
                        + "the model's test evaluation), denoised (middle) and clean (bottom)."
                    : "The first \(options.reconstructionImages) test images (top row; nothing corrupts them), their "
                        + "reconstructions (middle) and the same clean images (bottom)."),
        ]
        do {
            parts.append(
                try figures.reconstructions(
                    fileStem: "reconstructions",
                    caption: model.test.map { test in
                        String(format: "Test PSNR %.2f dB", test.denoised.psnr)
                            + (corrupts ? String(format: " (noisy input %.2f dB)", test.noisy.psnr) : "")
                    } ?? "Test images"))
        } catch {
            omitted.append(Omission(what: "reconstructions", item: nil, reason: error.description, missingData: false))
            parts.removeAll()
        }
        parts += figures.latentSpace()
        parts += figures.baseline(modelDescription: "this autoencoder (\(model.configuration.model.summary))")
        omitted += figures.omitted
        return parts
    }
}
