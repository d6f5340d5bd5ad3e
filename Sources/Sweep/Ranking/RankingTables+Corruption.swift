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
    public var noiseLevelKey: String? {
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
    func corruptionSection() -> (title: String, table: TextTable, note: String?)? {
        guard let corruptionTables, !corruptionTables.isEmpty else { return nil }
        let keys = keysOutsideCorruption
        // To fit a terminal, the interval goes first, then the SSIMs and the count: never the setting's name.
        var table = TextTable(
            columns: [.init("noise")] + keys.map { .init($0) }
                + [
                    .init("PSNR", .right), .init("noisy", .right), .init("gain", .right), .init("SSIM", .right, priority: 2),
                    .init("noisy SSIM", .right, priority: 1), .init("95% CI", .right, priority: 0),
                    .init("configs", .right, priority: 3),
                ])
        for setting in corruptionTables {
            guard let best = setting.best else { continue }
            table.append(
                [setting.setting.description] + keys.map { best.parameters[$0]?.description ?? "—" }
                    + QualityFigures.cells(best.figures)
                    + [best.statistics.formattedConfidenceInterval(setting.metric), String(setting.configurations.count)])
        }
        let split = metric.readsTestSplit ? "test" : "validation"
        return (
            "Best configuration per corruption setting (\(split) figures, means over seeds; dB for PSNR and gain)",
            table, corruptionVerdict
        )
    }
}
