import Datasets
import Foundation
import Sweep
import Training

extension ReportContent {
    /// The key whose values are the noise levels (`RankingTables.noiseLevelKey`).
    var noiseKey: String? { tables.noiseLevelKey }

    /// The best configuration for each noise level (or the best overall when no noise key is swept).
    var bestPerNoiseLevel: [(level: ParameterValue?, configuration: RankedConfiguration)] {
        guard let noiseKey else { return tables.best.map { [(nil, $0)] } ?? [] }
        return values(of: noiseKey).compactMap { level in bestConfiguration(with: [noiseKey: level]).map { (level, $0) } }
    }

    /// Reconstructions, the epoch strip, the latent map and interpolation, the PCA baseline and the
    /// cross-noise table; each left out, with its reason, when its data or model is unavailable.
    mutating func modelParts() -> [ReportPart] {
        var parts: [ReportPart] = []
        parts += reconstructions()
        parts += epochStrip()
        parts += bestModelFigures()
        parts += crossNoise()
        return parts
    }

    // MARK: Reconstructions

    /// What the reconstruction grids show, in words that fit the sweep (no "corrupted" without corruption).
    var reconstructionsIntroduction: String {
        corrupts
            ? "Computed now from the stored weights: for each noise level's best model, the first "
                + "\(options.reconstructionImages) test images corrupted (top row, with the fixed noise of the "
                + "trial's test evaluation), denoised (middle) and clean (bottom)."
            : "Computed now from the stored weights: the best model's input, the first "
                + "\(options.reconstructionImages) test images (top row; this sweep corrupts nothing), its "
                + "reconstructions (middle) and the same clean images (bottom)."
    }

    mutating func reconstructions() -> [ReportPart] {
        var parts: [ReportPart] = [
            .section("Reconstructions", level: 2),
            .paragraph(reconstructionsIntroduction),
        ]
        var made = 0
        for (level, configuration) in bestPerNoiseLevel {
            let title = level.map { FigureLabels.setting(noiseKey ?? "noise", $0) } ?? "best configuration"
            let others = describeForReaders(configuration.parameters, excluding: noiseKey)
            do {
                let figures = ModelFigures(model: try model(configuration.bestTrialID), options: options, subject: title)
                let metrics = record.result(of: configuration.bestTrialID)?.summary.test
                parts.append(
                    try figures.reconstructions(
                        fileStem: "reconstructions-\(level.map { "\(noiseKey ?? "noise")=\($0)" } ?? "best")",
                        caption: "\(title): \(others)"
                            + (metrics.map { metrics in
                                String(format: " — test PSNR %.2f dB", metrics.denoised.psnr)
                                    + (corrupts ? String(format: " (noisy input %.2f dB)", metrics.noisy.psnr) : "")
                            } ?? "")))
                made += 1
            } catch {
                omit("reconstructions for", item: title, because: error)
            }
        }
        return made > 0 ? parts : []
    }

    // MARK: The epoch strip

    mutating func epochStrip() -> [ReportPart] {
        guard let best = tables.best else { return [] }
        let previews = record.previews(of: best.bestTrialID)
        do {
            guard
                let strip = try ModelFigures.epochStrip(
                    previews, fileName: fileName("epochs", "png"), subject: "best trial (\(best.bestTrialID))",
                    corrupts: corrupts)
            else {
                omit("the epoch strip", because: "the best trial's epochs carry no preview images")
                return []
            }
            return [.section("Learning, epoch by epoch", level: 2), strip]
        } catch {
            omit("the epoch strip", because: error)
            return []
        }
    }

    // MARK: The best model's latent space and baseline

    /// The latent map, interpolation and (VAEs) prior samples of the best model, then the PCA baseline.
    mutating func bestModelFigures() -> [ReportPart] {
        guard let best = tables.best else { return [] }
        let model: TrainedModel
        do {
            model = try self.model(best.bestTrialID)
        } catch {
            omit("the latent map", because: error)
            omit("the PCA baseline", because: error)
            return []
        }
        var figures = ModelFigures(model: model, options: options, subject: "the best model")
        let parts = figures.latentSpace() + figures.baseline(modelDescription: "best autoencoder (\(describe(best.parameters)))")
        absorb(figures.omitted)
        return parts
    }

    // MARK: Cross-noise

    mutating func crossNoise() -> [ReportPart] {
        guard let noiseKey else { return [] }
        let levels = bestPerNoiseLevel.compactMap { entry in entry.level.map { ($0, entry.configuration) } }
        guard levels.count >= 2 else { return [] }
        var cells: [[Double?]] = []
        var imageCount = 0
        for (level, configuration) in levels {
            var row: [Double?] = []
            do {
                let model = try self.model(configuration.bestTrialID)
                imageCount = model.testImages.count
                for (_, other) in levels {
                    let noise = other.bestTrialConfiguration.noise
                    row.append(model.evaluate(withNoise: noise).denoised.psnr)
                }
            } catch {
                omit("the cross-noise rows of", item: FigureLabels.setting(noiseKey, level), because: error)
                row = Array(repeating: nil, count: levels.count)
            }
            cells.append(row)
        }
        // Every row missing (no dataset): no table of dashes.
        guard cells.contains(where: { $0.contains { $0 != nil } }) else { return [] }
        let labels = levels.map(\.0.description)
        let table = ReportTable(
            columns: [.init("trained at \(noiseKey)")] + labels.map { .init("at \($0)", alignment: .right) },
            rows: zip(labels, cells).map { label, row in [label] + row.map { $0.map { String(format: "%.2f", $0) } ?? "–" } },
            caption: "Test PSNR (dB) of each noise level's best model (rows) at every noise level (columns)")
        let map = Heatmap(
            title: "Cross-noise test PSNR", subtitle: "rows: trained at; columns: evaluated at",
            rowTitle: "trained at \(FigureLabels.name(of: noiseKey))",
            columnTitle: "evaluated at \(FigureLabels.name(of: noiseKey))", rowLabels: labels, columnLabels: labels,
            values: cells, valueTitle: "test PSNR (dB)", direction: .higherIsBetter, fractionDigits: 2, highlightsBest: false,
            marksDiagonal: true)
        return [
            .section("Across noise levels", level: 2),
            .paragraph(
                "Each noise level's best model evaluated at every other level, on the same \(imageCount) test "
                    + "images, each with the fixed test noise of the column's level."),
            .table(table),
            .figure(
                svg: map.svg(width: 640, height: map.fittingHeight()), fileName: fileName("cross-noise", "svg"),
                caption: "Test PSNR of the model trained at the row's noise level, evaluated at the column's; the dashed "
                    + "red frames mark each model at its own training level, the diagonal."),
        ]
    }
}
