import Foundation
import Testing
import Training

@testable import Sweep

/// Hand-built results: a 2 × 2 grid (σ × encoder) at three seeds with chosen figures.
enum RankingFixture {
    static let spec = try! SweepSpec.parse(
        """
        name: fixture
        base: {data: mnist, epochs: 2}
        grid:
          model.dropout: [0.1, 0.5]
          model.encoder: [[64], [128]]
        seeds: 3
        group_by: [model.dropout]
        top: 3
        """, file: "fixture.yaml")

    /// Validation PSNR of the last epoch per (σ, encoder width), one per seed 0, 1, 2; `nil` = not finished.
    static let psnr: [String: [Double?]] = [
        "0.1 64": [20, 22, 24],  // mean 22, std 2
        "0.1 128": [25, 26, 24],  // mean 25, std 1, best seed 1
        "0.5 64": [15, 16, 17],  // mean 16, std 1
        "0.5 128": [18, 14, nil],  // mean 16, std √8: ties with "0.5 64"
    ]

    static func key(_ trial: Trial) -> String {
        "\(trial.parameters["model.dropout"]!) \(trial.configuration.model.encoderWidths[0])"
    }

    static func evaluation(psnr: Double, mse: Double, loss: Double) -> EvaluationMetrics {
        EvaluationMetrics(
            imageCount: 100, loss: loss, denoised: ReconstructionQuality(mse: mse, psnr: psnr, snr: psnr - 6),
            noisy: ReconstructionQuality(mse: 0.1, psnr: 10, snr: 4), codeMeanActivation: 0.5, codeNearZeroFraction: 0)
    }

    /// A result whose last epoch has `psnr` on validation; the first epoch's figures are decoys.
    /// MSE is `1 / psnr` and the test split's PSNR is `psnr + 1`.
    static func result(_ trial: Trial, psnr: Double, epochs: Int = 2) -> TrialResult {
        let decoy = EpochMetrics(
            epoch: 1, trainLoss: 9, trainPenalty: 0, validation: evaluation(psnr: 99, mse: 9, loss: 9),
            trainingSeconds: 1,
            evaluationSeconds: 1, samplesPerSecond: 1)
        let last = EpochMetrics(
            epoch: 2, trainLoss: 1 / psnr + 0.001, trainPenalty: 0,
            validation: evaluation(psnr: psnr, mse: 1 / psnr, loss: 1 / psnr),
            trainingSeconds: 1, evaluationSeconds: 1, samplesPerSecond: 1)
        let summary = TrainingSummary(
            parameterCount: 1000, epochs: Array([decoy, last].prefix(epochs)),
            test: evaluation(psnr: psnr + 1, mse: 1 / (psnr + 1), loss: 1 / (psnr + 1)), stoppedEarly: epochs < 2,
            seconds: 2)
        return TrialResult(trial: trial, summary: summary, worker: "test:1", seconds: 2)
    }

    static var results: [TrialResult] {
        spec.trials().compactMap { trial in
            psnr[key(trial)]![Int(trial.seed)].map { result(trial, psnr: $0) }
        }
    }

    static func configurationID(_ key: String) -> TrialIdentifier {
        spec.trials().first { Self.key($0) == key }!.configurationID
    }

    static func trialIDs(_ key: String) -> [TrialIdentifier] {
        spec.trials().filter { Self.key($0) == key }.map(\.id)
    }
}

@Suite("Ranking")
struct RankingTests {
    let tables = RankingTables(results: RankingFixture.results, spec: RankingFixture.spec)

    /// The configuration key of "0.5 64" and "0.5 128" that wins their tie: the smaller configuration id.
    var tieOrder: [String] {
        ["0.5 64", "0.5 128"].sorted { RankingFixture.configurationID($0) < RankingFixture.configurationID($1) }
    }

    @Test func seedsAreAggregatedWithMeanAndSampleStandardDeviation() throws {
        let byKey = Dictionary(
            uniqueKeysWithValues: tables.configurations.map { (RankingFixture.key(trial(of: $0)), $0) })
        let expected: [String: (mean: Double, std: Double, n: Int)] = [
            "0.1 64": (22, 2, 3), "0.1 128": (25, 1, 3), "0.5 64": (16, 1, 3), "0.5 128": (16, 8.0.squareRoot(), 2),
        ]
        for (key, figures) in expected {
            let configuration = try #require(byKey[key])
            #expect(abs(configuration.statistics.mean - figures.mean) < 1e-12, "\(key)")
            #expect(abs((configuration.statistics.standardDeviation ?? .nan) - figures.std) < 1e-12, "\(key)")
            #expect(configuration.statistics.count == figures.n)
            #expect(configuration.configurationID == RankingFixture.configurationID(key))
            #expect(configuration.trialIDs == Array(RankingFixture.trialIDs(key).prefix(figures.n)))
        }
        #expect(byKey["0.5 128"]?.seeds == [0, 1])
        #expect(byKey["0.1 128"]?.parameters == ["model.dropout": .number(0.1), "model.encoder": .list([.integer(128)])])
    }

    @Test func singleValueHasNoStandardDeviation() {
        let statistics = MetricStatistics(values: [3.5])
        #expect(statistics.standardDeviation == nil)
        #expect(statistics == MetricStatistics(mean: 3.5, standardDeviation: nil, count: 1))
        #expect(statistics.standardError == nil && statistics.confidenceInterval == nil)
        // As rankings written before stored it: 0 for one value, read as none.
        #expect(MetricStatistics(mean: 3.5, standardDeviation: 0, count: 1).standardDeviation == nil)
        #expect(statistics.formatted(.validationPSNR) == "3.50 (1)")
        #expect(MetricStatistics(values: [3, 4]).formatted(.validationPSNR) == "3.50 ± 0.71 (2)")
    }

    @Test func configurationsRankByMeanBestFirstWithTiesByConfigurationID() {
        let order = tables.configurations.map { RankingFixture.key(trial(of: $0)) }
        #expect(order == ["0.1 128", "0.1 64"] + tieOrder)
        #expect(tables.configurations.map(\.rank) == [1, 2, 3, 4])
        #expect(tables.topConfigurations.count == 3)
        #expect(tables.unscoredTrialIDs.isEmpty)
    }

    @Test func bestTrialIsTheConfigurationsBestSeed() throws {
        let best = try #require(tables.best)
        #expect(best.bestSeed == 1)
        #expect(best.bestTrialID == RankingFixture.trialIDs("0.1 128")[1])
        #expect(best.bestTrialConfiguration.seed == 1)
        #expect(best.values == [25, 26, 24])
    }

    @Test func bestConfigurationPerGroupValue() throws {
        let group = try #require(tables.groups.first)
        #expect(tables.groups.count == 1 && group.key == "model.dropout")
        #expect(group.rows.map(\.value) == [.number(0.1), .number(0.5)])
        #expect(group.rows.map { RankingFixture.key(trial(of: $0.best)) } == ["0.1 128", tieOrder[0]])
        #expect(group.rows.map(\.configurationCount) == [2, 2])
    }

    @Test func marginalsAverageEveryTrialWithTheValue() throws {
        #expect(tables.marginals.map(\.key) == ["model.dropout", "model.encoder"])
        let sigma = tables.marginals[0].rows
        #expect(sigma.map(\.value) == [.number(0.1), .number(0.5)])
        // σ 0.1: 20 22 24 25 26 24 → mean 23.5, Σ(x − x̄)² = 23.5, s² = 4.7. σ 0.5: 15 16 17 18 14 → 16, 10 / 4.
        #expect(
            abs(sigma[0].statistics.mean - 23.5) < 1e-12
                && abs((sigma[0].statistics.standardDeviation ?? .nan) - 4.7.squareRoot()) < 1e-12)
        #expect(
            abs(sigma[1].statistics.mean - 16) < 1e-12
                && abs((sigma[1].statistics.standardDeviation ?? .nan) - 2.5.squareRoot()) < 1e-12)
        #expect(sigma.map(\.statistics.count) == [6, 5])
        #expect(
            Set(sigma[1].trialIDs)
                == Set(RankingFixture.trialIDs("0.5 64") + RankingFixture.trialIDs("0.5 128").prefix(2)))
        #expect(
            Set(sigma[0].configurationIDs) == [
                RankingFixture.configurationID("0.1 64"), RankingFixture.configurationID("0.1 128"),
            ])

        // Lists order element by element: [64] before [128].
        let encoder = tables.marginals[1].rows
        #expect(encoder.map(\.value) == [.list([.integer(64)]), .list([.integer(128)])])
        // [64]: 20 22 24 15 16 17 → 19, Σ = 64, s² = 12.8. [128]: 25 26 24 18 14 → 21.4, Σ = 107.2, s² = 26.8.
        #expect(
            abs(encoder[0].statistics.mean - 19) < 1e-12
                && abs((encoder[0].statistics.standardDeviation ?? .nan) - 12.8.squareRoot()) < 1e-12)
        #expect(
            abs(encoder[1].statistics.mean - 21.4) < 1e-12
                && abs((encoder[1].statistics.standardDeviation ?? .nan) - 26.8.squareRoot()) < 1e-12)
    }

    @Test func lowerIsBetterMetricsRankTheOtherWay() {
        let byMSE = RankingTables(
            results: RankingFixture.results, metric: .validationMSE, sweptKeys: RankingFixture.spec.sweptKeys)
        // MSE is 1 / PSNR per trial: the highest-PSNR configurations have the lowest mean MSE.
        #expect(byMSE.configurations.prefix(2).map { RankingFixture.key(trial(of: $0)) } == ["0.1 128", "0.1 64"])
        #expect(byMSE.configurations.map(\.statistics.mean) == byMSE.configurations.map(\.statistics.mean).sorted())
        #expect(abs(byMSE.configurations[0].statistics.mean - (1.0 / 25 + 1.0 / 26 + 1.0 / 24) / 3) < 1e-12)
        // Its best seed is the lowest MSE, i.e. seed 1 again.
        #expect(byMSE.best?.bestSeed == 1)
        let byTrainLoss = RankingTables(results: RankingFixture.results, metric: .trainLoss, sweptKeys: [])
        #expect(byTrainLoss.best?.configurationID == RankingFixture.configurationID("0.1 128"))
    }

    @Test func everyMetricReadsItsFigure() throws {
        let trial = RankingFixture.spec.trials()[0]
        var summary = RankingFixture.result(trial, psnr: 20).summary
        // Plain denoising has no masked region and no KL: those metrics are absent, so the run ranks last.
        // The fixture's figures have no gain and no SSIM either (as results stored before them).
        for metric in [
            RankingMetric.validationMaskedPSNR, .testMaskedPSNR, .validationKL, .validationPSNRGain, .testPSNRGain,
            .validationSSIM, .testSSIM,
        ] {
            #expect(metric.value(in: summary) == nil, "\(metric)")
        }
        let masked = MaskedRegionQuality(
            imageCount: 3, denoised: ReconstructionQuality(mse: 0.02, psnr: 17, snr: 9),
            noisy: ReconstructionQuality(mse: 0.2, psnr: 7, snr: 0), meanFill: ReconstructionQuality(mse: 0.1, psnr: 10, snr: 3))
        summary.epochs[summary.epochs.count - 1].validation.masked = masked
        summary.epochs[summary.epochs.count - 1].validation.klDivergence = 12.5
        summary.test.masked = masked
        summary.test.masked?.denoised.psnr = 18
        summary.epochs[summary.epochs.count - 1].validation.psnrGain = 9.5
        summary.epochs[summary.epochs.count - 1].validation.denoised.ssim = 0.75
        summary.test.psnrGain = 10.5
        summary.test.denoised.ssim = 0.8
        let expected: [RankingMetric: Double] = [
            .validationPSNR: 20, .validationSNR: 14, .validationMSE: 0.05, .validationLoss: 0.05,
            .testPSNR: 21, .testSNR: 15, .testMSE: 1.0 / 21, .testLoss: 1.0 / 21, .trainLoss: 0.051,
            .validationMaskedPSNR: 17, .testMaskedPSNR: 18, .validationKL: 12.5,
            .validationPSNRGain: 9.5, .testPSNRGain: 10.5, .validationSSIM: 0.75, .testSSIM: 0.8,
        ]
        #expect(Set(expected.keys) == Set(RankingMetric.allCases))
        for (metric, value) in expected {
            #expect(abs(try #require(metric.value(in: summary)) - value) < 1e-12, "\(metric)")
        }
        #expect(
            RankingMetric.allCases.filter(\.higherIsBetter)
                == [
                    .validationPSNR, .validationSNR, .testPSNR, .testSNR, .validationMaskedPSNR, .testMaskedPSNR,
                    .validationPSNRGain, .testPSNRGain, .validationSSIM, .testSSIM,
                ])
    }

    @Test func metricsParseFromTheirNames() throws {
        #expect(try RankingMetric.named("test.mse") == .testMSE)
        #expect(throws: UnknownRankingMetric(name: "psnr")) { try RankingMetric.named("psnr") }
        #expect(UnknownRankingMetric(name: "psnr").description.contains("validation.psnr, validation.snr"))
        let decoded = try JSONDecoder().decode([RankingMetric].self, from: Data(#"["train.loss"]"#.utf8))
        #expect(decoded == [.trainLoss])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([RankingMetric].self, from: Data(#"["ssim"]"#.utf8))
        }
    }

    @Test func trialsWithoutTheMetricAreListedNotRanked() {
        let trials = RankingFixture.spec.trials()
        let results = [
            RankingFixture.result(trials[0], psnr: 20),
            RankingFixture.result(trials[1], psnr: 30, epochs: 0),
        ]
        let byValidation = RankingTables(results: results, metric: .validationPSNR, sweptKeys: [])
        #expect(byValidation.configurations.map(\.trialIDs) == [[trials[0].id]])
        #expect(byValidation.unscoredTrialIDs == [trials[1].id])
        // The test split is evaluated even when no epoch completed.
        let byTest = RankingTables(results: results, metric: .testPSNR, sweptKeys: [])
        #expect(byTest.configurations[0].trialIDs == [trials[0].id, trials[1].id])
        #expect(byTest.configurations[0].statistics.mean == 26)
    }

    @Test func repeatedResultForATrialCountsOnce() {
        let trial = RankingFixture.spec.trials()[0]
        let tables = RankingTables(
            results: [RankingFixture.result(trial, psnr: 20), RankingFixture.result(trial, psnr: 40)],
            metric: .validationPSNR, sweptKeys: [])
        #expect(tables.configurations.map(\.statistics) == [MetricStatistics(mean: 20, standardDeviation: nil, count: 1)])
    }

    @Test func divergedRunRanksLast() {
        let trials = RankingFixture.spec.trials().filter { $0.seed == 0 }
        let tables = RankingTables(
            results: [
                RankingFixture.result(trials[0], psnr: .nan), RankingFixture.result(trials[1], psnr: 5),
                RankingFixture.result(trials[2], psnr: 7),
            ],
            metric: .validationPSNR, sweptKeys: [])
        #expect(
            tables.configurations.map(\.configurationID) == [trials[2], trials[1], trials[0]].map(\.configurationID))
    }

    @Test func noResultsGiveEmptyTables() {
        let tables = RankingTables(results: [], spec: RankingFixture.spec)
        #expect(tables.configurations.isEmpty && tables.best == nil)
        #expect(tables.bestConfigurationYAML() == nil)
        #expect(tables.render(.table).contains("No finished trial has a value for validation.psnr."))
        #expect(tables.groups.map(\.rows) == [[]])
    }

    private func trial(of configuration: RankedConfiguration) -> Trial {
        RankingFixture.spec.trials().first { $0.configurationID == configuration.configurationID }!
    }
}
