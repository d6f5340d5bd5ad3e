import Datasets
import Foundation
import Testing
import TestSupport
import Training

@testable import Sweep

/// A sweep over corruptions compares tasks of different difficulty: it ranks by the gain over the noisy
/// input, and compares seeds only within one corruption setting.
@Suite("Rankings across corruptions")
struct CorruptionRankingTests {
    static let spec = try! SweepSpec.parse(
        """
        name: noise-width
        base: {data: mnist, epochs: 1}
        grid:
          - {noise.kind: none, model.encoder: [[64], [256]]}
          - {noise.kind: gaussian, noise.sigma: [0.1, 0.5], model.encoder: [[64], [256]]}
        seeds: 3
        """, file: "noise-width.yaml")

    /// Denoised validation PSNR by (setting, width), per seed; the noisy input's is 22.66 dB at σ 0.1 and 9.38
    /// dB at σ 0.5. The cleanest setting has the highest PSNR but the worst gain.
    static let figures: [String: (psnr: [Double], noisy: Double?)] = [
        "none [64]": ([30, 30.2, 30.1], nil), "none [256]": ([31, 31.1, 30.9], nil),
        "0.1 [64]": ([13.5, 13.6, 13.4], 22.66), "0.1 [256]": ([13.49, 13.6, 13.3], 22.66),
        "0.5 [64]": ([14.0, 14.2, 14.1], 9.38), "0.5 [256]": ([15.5, 15.4, 15.6], 9.38),
    ]

    static func key(_ trial: Trial) -> String {
        let setting: String = if case .gaussian(let sigma, _) = trial.configuration.noise { "\(sigma)" } else { "none" }
        return "\(setting) [\(trial.configuration.model.encoderWidths[0])]"
    }

    static var results: [TrialResult] {
        spec.trials().map { trial in
            let (psnr, noisy) = figures[key(trial)]!
            let value = psnr[Int(trial.seed)]
            let evaluation = EvaluationMetrics(
                imageCount: 100, loss: 0.01,
                denoised: ReconstructionQuality(mse: 0.01, psnr: value, snr: value - 6, ssim: 0.8),
                noisy: ReconstructionQuality(mse: 0.1, psnr: noisy ?? 100, snr: 0, ssim: noisy == nil ? 1 : 0.4),
                psnrGain: noisy.map { value - $0 }, codeMeanActivation: 0, codeNearZeroFraction: 0)
            let epoch = EpochMetrics(
                epoch: 1, trainLoss: 0.01, trainPenalty: 0, validation: evaluation, trainingSeconds: 1,
                evaluationSeconds: 1, samplesPerSecond: 1)
            let summary = TrainingSummary(
            parameterCount: 1, epochs: [epoch], test: evaluation, stoppedEarly: false,
                seconds: 1)
            return TrialResult(trial: trial, summary: summary, worker: "w", seconds: 1)
        }
    }

    @Test func aSpecThatVariesTheCorruptionRanksByGainUnlessItSaysOtherwise() throws {
        #expect(Self.spec.rankBy == .validationPSNRGain)
        let oneNoise = try SweepSpec.parse("base: {data: mnist}\ngrid: {model.encoder: [[64], [256]]}\n", file: "w.yaml")
        #expect(oneNoise.rankBy == .validationPSNR)
        let said = try SweepSpec.parse("base: {data: mnist}\ngrid: {noise.sigma: [0.1, 0.5]}\nrank_by: test.psnr\n", file: "s.yaml")
        #expect(said.rankBy == .testPSNR)
    }

    @Test func theNoiseLevelKeyIsTheCorruptionsStrengthThenAnyCorruptionKey() throws {
        #expect(RankingTables(results: Self.results, spec: Self.spec).noiseLevelKey == "noise.sigma")
        func key(_ grid: String) throws -> String? {
            RankingTables(results: [], spec: try SweepSpec.parse("base: {data: mnist}\ngrid: \(grid)\n", file: "k.yaml"))
                .noiseLevelKey
        }
        #expect(try key("{noise.kind: [salt-and-pepper], noise.probability: [0.1, 0.3], model.encoder: [[64], [32]]}") == "noise.probability")
        #expect(try key("{noise.kind: [gaussian, salt-and-pepper], model.encoder: [[64], [32]]}") == "noise.kind")
        #expect(try key("{model.encoder: [[64], [32]]}") == nil)
    }

    @Test func theBestIsTheLargestGainNotTheCleanestTask() throws {
        let tables = RankingTables(results: Self.results, spec: Self.spec)
        let best = try #require(tables.best)
        #expect(best.parameters["noise.sigma"] == .number(0.5) && best.parameters["model.encoder"] == .list([.integer(256)]))
        // Under noise none there is no gain: those trials are not in the ranking by gain…
        #expect(tables.unscoredTrialIDs.count == 6)
        #expect(tables.configurations.count == 4)
        // …but their setting has its best, by PSNR.
        let none = try #require(tables.corruptionTables?.first)
        #expect(none.setting == CorruptionSetting(.none) && none.metric == .validationPSNR)
        #expect(none.best?.parameters["model.encoder"] == .list([.integer(256)]))
        #expect(tables.corruptionTables?.map(\.setting.description) == ["none", "gaussian(σ=0.1)", "gaussian(σ=0.5)"])
    }

    @Test func seedsAreComparedOnlyWithinACorruptionSetting() throws {
        let tables = RankingTables(results: Self.results, spec: Self.spec)
        // σ 0.1: [64] 13.50 against [256] 13.46 — the best at σ 0.1, ranked fourth overall, is "best" of its setting.
        let byKey = Dictionary(uniqueKeysWithValues: tables.configurations.map { configuration in
            ("\(configuration.parameters["noise.sigma"]!) \(configuration.parameters["model.encoder"]!)", configuration)
        })
        #expect(byKey["0.1 [64]"]?.comparisonWithBest == .best)
        #expect(byKey["0.1 [256]"]?.comparisonWithBest?.verdict == .indistinguishable)
        #expect(byKey["0.5 [64]"]?.comparisonWithBest?.verdict == .worse)
        #expect(tables.indistinguishableFromBest.isEmpty, "σ 0.1's configurations are not compared with σ 0.5's best")
        let gaussian = try #require(tables.corruptionTables?.last)
        // Compared by gain: the same noisy input on both sides.
        let expectedP = try #require(WelchTest([14.0, 14.2, 14.1].map { $0 - 9.38 }, [15.5, 15.4, 15.6].map { $0 - 9.38 })?.pValue)
        #expect(abs(gaussian.configurations[1].comparisonWithBest!.pValue! - expectedP) < 1e-12)
    }

    @Test func theVerdictQuotesTheGainAndEachSettingsBest() throws {
        let tables = RankingTables(results: Self.results, spec: Self.spec)
        let verdict = try #require(tables.corruptionVerdict)
        #expect(
            verdict.hasPrefix(
                "Best by validation.psnr_gain over 3 corruption settings: model.encoder=[256] on gaussian(σ=0.5): "
                    + "+6.12 dB (15.50 dB against 9.38 dB noisy)."))
        #expect(
            verdict.contains(
                "Best per corruption: none: model.encoder=[256], 31.00 dB; gaussian(σ=0.1): model.encoder=[64], 13.50 dB "
                    + "(-9.16 dB); gaussian(σ=0.5): model.encoder=[256], 15.50 dB (+6.12 dB)."))
        let text = tables.render(.table)
        #expect(text.contains("vs best, same noise"))
        #expect(text.contains("Best configuration per corruption setting"))
        let row = text.split(separator: "\n").first { $0.hasPrefix("gaussian(σ=0.5)  [256]") }
        #expect(row?.split(separator: " ").dropFirst(2).prefix(5) == ["15.50", "9.38", "+6.12", "0.8000", "0.4000"])
        let none = text.split(separator: "\n").first { $0.hasPrefix("none ") }
        #expect(none?.split(separator: " ").dropFirst(2).prefix(5) == ["31.00", "—", "—", "0.8000", "—"], "no noisy input")
    }

    @Test func eachSettingsBestIsWrittenBesideTheBestByGain() throws {
        let directory = try TemporaryDirectory(prefix: "corruption-files")
        let tables = RankingTables(results: Self.results, spec: Self.spec)
        let written = try RankingFiles.write(tables, runDirectory: directory.url)
        #expect(
            written.suffix(4) == [
                "best-config.yaml", "best-configs/none.yaml", "best-configs/gaussian-sigma-0.1.yaml",
                "best-configs/gaussian-sigma-0.5.yaml",
            ])
        let best = try TrainingConfiguration.load(from: directory.url.appendingPathComponent("best-config.yaml"))
        #expect(best.noise == .gaussian(standardDeviation: 0.5, clip: true) && best.model.encoderWidths == [256])
        let cleanest = try TrainingConfiguration.load(from: directory.url.appendingPathComponent("best-configs/none.yaml"))
        #expect(cleanest.noise == Corruption.none && cleanest.model.encoderWidths == [256])
        let header = try String(contentsOf: directory.url.appendingPathComponent("best-configs/gaussian-sigma-0.1.yaml"), encoding: .utf8)
        #expect(header.hasPrefix("# Best configuration on gaussian(σ=0.1) by validation.psnr_gain"))
        // Ranked again with one corruption left, the per-setting files go.
        let single = RankingTables(results: Self.results.filter { $0.trial.configuration.noise == .none }, metric: .validationPSNR, sweptKeys: ["model.encoder"])
        try RankingFiles.write(single, runDirectory: directory.url)
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("best-configs").path))
    }

    @Test func aSampledCorruptionValueHasNothingToBeComparedWith() throws {
        let trials = (0..<2).flatMap { seed in
            [0.11, 0.23, 0.37].map { sigma -> Trial in
                var configuration = TrainingConfiguration()
                configuration.noise = .gaussian(standardDeviation: Float(sigma), clip: true)
                configuration.seed = UInt64(seed)
                return Trial(configuration: configuration, parameters: ["noise.sigma": .number(sigma)])
            }
        }
        let results = trials.enumerated().map { index, trial in
            let quality = ReconstructionQuality(mse: 0.01, psnr: 20 + Double(index % 3), snr: 10)
            let evaluation = EvaluationMetrics(
                imageCount: 1, loss: 0.01, denoised: quality, noisy: ReconstructionQuality(mse: 0.1, psnr: 10, snr: 0),
                psnrGain: quality.psnr - 10 + Double(index) * 0.01, codeMeanActivation: 0, codeNearZeroFraction: 0)
            let epoch = EpochMetrics(
                epoch: 1, trainLoss: 0, trainPenalty: 0, validation: evaluation, trainingSeconds: 1, evaluationSeconds: 1,
                samplesPerSecond: 1)
            return TrialResult(
                trial: trial,
                summary: TrainingSummary(
            parameterCount: 1, epochs: [epoch], test: evaluation,
                    stoppedEarly: false, seconds: 1), worker: nil, seconds: 1)
        }
        let tables = RankingTables(results: results, metric: .validationPSNRGain, sweptKeys: ["noise.sigma"])
        #expect(tables.configurations.count == 3)
        #expect(tables.configurations.allSatisfy { $0.comparisonWithBest == nil })
        #expect(tables.render(RankingFormat.table).contains("  —  "))
    }
}
