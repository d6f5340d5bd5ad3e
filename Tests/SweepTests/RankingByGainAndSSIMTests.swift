import Foundation
import Testing
import Training

@testable import Sweep

@Suite("Ranking by PSNR gain and SSIM")
struct RankingByGainAndSSIMTests {
    static let names: [String: RankingMetric] = [
        "validation.psnr_gain": .validationPSNRGain, "test.psnr_gain": .testPSNRGain,
        "validation.ssim": .validationSSIM, "test.ssim": .testSSIM,
    ]

    /// A fixture result whose last epoch and test split have the given gain and SSIM (`nil`: absent), and
    /// whose PSNR runs the other way, so that a ranking reading PSNR would give the opposite order.
    static func result(_ trial: Trial, gain: Double?, ssim: Double?) -> TrialResult {
        var result = RankingFixture.result(trial, psnr: 30 - (gain ?? 0) - 10 * (ssim ?? 0))
        let last = result.summary.epochs.count - 1
        result.summary.epochs[last].validation.psnrGain = gain
        result.summary.epochs[last].validation.denoised.ssim = ssim
        result.summary.test.psnrGain = gain.map { $0 + 0.5 }
        result.summary.test.denoised.ssim = ssim.map { $0 + 0.01 }
        return result
    }

    @Test func namesParseInSpecsAndAsValues() throws {
        for (name, metric) in Self.names {
            #expect(try RankingMetric.named(name) == metric)
            let spec = try SweepSpec.parse(
                "name: gain\nbase: {data: mnist, epochs: 1}\ngrid: {noise.sigma: [0.1, 0.5]}\nrank_by: \(name)\n",
                file: "gain.yaml")
            #expect(spec.rankBy == metric)
        }
    }

    @Test func directionUnitAndPrecision() {
        for metric in Self.names.values {
            #expect(metric.higherIsBetter, "\(metric)")
            #expect(metric.isBetter(0.9, than: 0.8))
        }
        #expect(RankingMetric.validationPSNRGain.unit == "dB" && RankingMetric.testPSNRGain.unit == "dB")
        #expect(RankingMetric.validationSSIM.unit == nil && RankingMetric.testSSIM.unit == nil)
        #expect(RankingMetric.testPSNRGain.formatted(7.126) == "7.13")
        #expect(RankingMetric.validationSSIM.formatted(0.812_345) == "0.8123")
        #expect(RankingMetric.testSSIM.orderDescription == "higher is better")
        #expect(RankingMetric.validationPSNRGain.orderDescription == "dB, higher is better")
    }

    @Test func validationFiguresAreReadEveryEpochAndStandInForTheTestOnes() throws {
        #expect(RankingMetric.validationPSNRGain.isPerEpoch && RankingMetric.validationSSIM.isPerEpoch)
        #expect(!RankingMetric.testPSNRGain.isPerEpoch && !RankingMetric.testSSIM.isPerEpoch)
        #expect(RankingMetric.testPSNRGain.perEpochCounterpart == .validationPSNRGain)
        #expect(RankingMetric.testSSIM.perEpochCounterpart == .validationSSIM)
        #expect(RankingMetric.validationSSIM.perEpochCounterpart == .validationSSIM)

        let summary = Self.result(RankingFixture.spec.trials()[0], gain: 6.25, ssim: 0.7).summary
        #expect(RankingMetric.validationPSNRGain.value(in: summary) == 6.25)
        #expect(RankingMetric.testPSNRGain.value(in: summary) == 6.75)
        #expect(RankingMetric.validationSSIM.value(in: summary) == 0.7)
        #expect(abs(try #require(RankingMetric.testSSIM.value(in: summary)) - 0.71) < 1e-12)
        let last = try #require(summary.epochs.last)
        #expect(RankingMetric.validationPSNRGain.value(in: last) == 6.25)
        #expect(RankingMetric.validationSSIM.value(in: last) == 0.7)
        #expect(RankingMetric.testPSNRGain.value(in: last) == nil && RankingMetric.testSSIM.value(in: last) == nil)
    }

    @Test func higherGainAndSSIMRankFirst() throws {
        let trials = RankingFixture.spec.trials().filter { $0.seed == 0 }
        let results = [
            Self.result(trials[0], gain: 2, ssim: 0.9),
            Self.result(trials[1], gain: 8, ssim: 0.5),
            Self.result(trials[2], gain: 5, ssim: 0.7),
        ]
        for metric in [RankingMetric.validationPSNRGain, .testPSNRGain] {
            let tables = RankingTables(results: results, metric: metric, sweptKeys: [])
            #expect(tables.configurations.map(\.trialIDs) == [[trials[1].id], [trials[2].id], [trials[0].id]])
        }
        for metric in [RankingMetric.validationSSIM, .testSSIM] {
            let tables = RankingTables(results: results, metric: metric, sweptKeys: [])
            #expect(tables.configurations.map(\.trialIDs) == [[trials[0].id], [trials[2].id], [trials[1].id]])
        }
        // By PSNR, which runs the other way here, the order reverses: the metrics read their own fields.
        let byPSNR = RankingTables(results: results, metric: .validationPSNR, sweptKeys: [])
        #expect(byPSNR.configurations.first?.trialIDs == [trials[0].id])
    }

    /// Without noise there is no gain: such a run has no value and is listed, unranked.
    @Test func runWithoutGainIsListedNotRanked() {
        let trials = RankingFixture.spec.trials().filter { $0.seed == 0 }
        let results = [Self.result(trials[0], gain: 4, ssim: 0.8), Self.result(trials[1], gain: nil, ssim: 0.9)]
        #expect(RankingMetric.testPSNRGain.value(in: results[1].summary) == nil)
        #expect(RankingMetric.validationPSNRGain.value(in: results[1].summary) == nil)
        for metric in [RankingMetric.validationPSNRGain, .testPSNRGain] {
            let tables = RankingTables(results: results, metric: metric, sweptKeys: [])
            #expect(tables.configurations.map(\.trialIDs) == [[trials[0].id]])
            #expect(tables.unscoredTrialIDs == [trials[1].id])
        }
        // SSIM is there and ranks both.
        let bySSIM = RankingTables(results: results, metric: .validationSSIM, sweptKeys: [])
        #expect(bySSIM.configurations.map(\.trialIDs) == [[trials[1].id], [trials[0].id]])
    }

    /// A result stored before the gain and SSIM existed reads back from the store's JSON without them.
    @Test func storedSummaryWithoutTheNewKeysDecodes() throws {
        let summary = RankingFixture.result(RankingFixture.spec.trials()[0], psnr: 20).summary
        var text = try StoredJSON.text(of: summary)
        #expect(!text.contains("psnr_gain") && !text.contains("ssim"))
        let decoded = try StoredJSON.value(TrainingSummary.self, from: text)
        #expect(decoded == summary)
        #expect(RankingMetric.validationSSIM.value(in: decoded) == nil)
        // And with them, they come back.
        let withFigures = Self.result(RankingFixture.spec.trials()[0], gain: 3, ssim: 0.6).summary
        text = try StoredJSON.text(of: withFigures)
        #expect(text.contains(#""psnr_gain":3"#))
        #expect(try StoredJSON.value(TrainingSummary.self, from: text) == withFigures)
    }
}
