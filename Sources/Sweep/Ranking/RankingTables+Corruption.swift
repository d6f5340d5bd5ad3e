// What a sweep over corruptions says: the best configuration per corruption setting, and which one gains
// most over its noisy input.

import Datasets
import Training

extension RankingTables {
    /// Whether `key` (a swept key path) sets the corruption: `noise.sigma`, `noise.kind`.
    public static func isCorruptionKey(_ key: String) -> Bool {
        key == TrainingConfiguration.corruptionKey || key.hasPrefix(TrainingConfiguration.corruptionKey + ".")
    }

    /// The swept key whose values are the noise levels, for figures against them: the corruption's strength
    /// (`noise.sigma`, else `noise.probability`) when swept, else the first swept corruption key (e.g.
    /// `noise.kind`); nil when the corruption is not swept.
    public var noiseLevelKey: String? { Self.noiseLevelKey(among: sweptKeys) }

    /// The noise-level key among `sweptKeys` (see `noiseLevelKey`).
    public static func noiseLevelKey(among sweptKeys: [String]) -> String? {
        let corruptionKeys = sweptKeys.filter(Self.isCorruptionKey)
        let strengths = Corruption.strengthKeys.map { "\(TrainingConfiguration.corruptionKey).\($0)" }
        return strengths.first(where: corruptionKeys.contains) ?? corruptionKeys.first
    }

    /// The swept keys that are not the corruption's.
    public var keysOutsideCorruption: [String] { sweptKeys.filter { !Self.isCorruptionKey($0) } }

    /// `model.encoder=[256], model.sparsity=0.0001`, or `the base configuration` when only the corruption is swept.
    func describeOutsideCorruption(_ configuration: RankedConfiguration) -> String {
        let pairs = keysOutsideCorruption.compactMap { key in configuration.parameters[key].map { "\(key)=\($0)" } }
        return pairs.isEmpty ? "the base configuration" : pairs.joined(separator: ", ")
    }

    /// The verdict of a sweep over corruptions, e.g. "Best gain over the noisy input: model.encoder=[256] on
    /// gaussian(σ=0.5): +6.12 dB (15.50 dB against 9.38 dB noisy). Best per corruption: gaussian(σ=0.1):
    /// model.encoder=[256], 28.41 dB (+8.12 dB); …"; nil for one corruption.
    public var corruptionVerdict: String? {
        guard let corruptionTables, !corruptionTables.isEmpty else { return nil }
        var sentences: [String] = []
        if let best, let setting = best.setting {
            let figures = best.figures.map { $0.gainText } ?? best.statistics.formatted(metric)
            sentences.append(
                "Best by \(metric) over \(corruptionTables.count) corruption settings: \(describeOutsideCorruption(best)) "
                    + "on \(setting): \(figures).")
            if metric.withinSettingFallback == metric, metric != .trainLoss {
                sentences.append(
                    "(\(metric) across corruptions favours the easiest task; rank_by: "
                        + "\(metric.readsTestSplit ? RankingMetric.testPSNRGain : .validationPSNRGain) compares the denoising.)")
            }
        }
        let perSetting = corruptionTables.compactMap { table -> String? in
            guard let best = table.best else { return nil }
            let figures =
                best.figures.map { figures in
                    "\(figures.psnr.formatted(decimals: 2)) dB"
                        + (figures.psnrGain.map { " (\($0 >= 0 ? "+" : "")\($0.formatted(decimals: 2)) dB)" } ?? "")
                } ?? best.statistics.formatted(table.metric)
            return "\(table.setting): \(describeOutsideCorruption(best)), \(figures)"
        }
        sentences.append("Best per corruption: " + perSetting.joined(separator: "; ") + ".")
        return sentences.joined(separator: " ")
    }

    /// The table of each corruption setting's best configuration: its swept values, the ranking metric,
    /// denoised and noisy PSNR, gain and SSIM, and how many configurations the setting has.
    func corruptionSection() -> RankingSection? {
        guard let corruptionTables, !corruptionTables.isEmpty else { return nil }
        let keys = keysOutsideCorruption
        let split = metric.readsTestSplit ? "test" : "validation"
        // To fit a terminal, the interval goes first, then the SSIMs and the count: never the setting's name.
        var section = RankingSection(
            kind: .corruption,
            title: "Best configuration per corruption setting (\(split) figures, means over seeds; dB for PSNR and gain)",
            columns: [.init("noise")] + keys.map { .init($0) }
                + [
                    .init("PSNR", unit: "dB", numeric: true), .init("noisy", unit: "dB", numeric: true),
                    .init("gain", unit: "dB", numeric: true), .init("SSIM", numeric: true, dropPriority: 2),
                    .init("noisy SSIM", numeric: true, dropPriority: 1),
                    .init("95% CI", numeric: true, dropPriority: 0), .init("configs", numeric: true, dropPriority: 3),
                ],
            note: corruptionVerdict)
        for setting in corruptionTables {
            guard let best = setting.best else { continue }
            section.append(
                [setting.setting.description] + keys.map { best.parameters[$0]?.description ?? "—" }
                    + QualityFigures.cells(best.figures)
                    + [best.statistics.formattedConfidenceInterval(setting.metric), String(setting.configurations.count)])
        }
        return section
    }
}
