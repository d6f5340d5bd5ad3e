import Foundation
import Testing
import Training

@testable import Sweep

/// The benchmark's verdict: speed-up, and whether early stopping's best is the full sweep's or close to it.
@Suite("Early stopping against the full sweep")
struct EarlyStoppingComparisonTests {
    static func sweep(_ label: String, seconds: Double, keys: Set<String>, epochs: Int, stopped: Int)
        -> EarlyStoppingComparison.Sweep
    {
        let results = RankingFixture.results.filter { keys.contains(RankingFixture.key($0.trial)) }
        return EarlyStoppingComparison.Sweep(
            label: label, seconds: seconds, tables: RankingTables(results: results, spec: RankingFixture.spec),
            trainedEpochs: epochs, plannedEpochs: 24, stoppedTrials: stopped, trials: 12)
    }

    static let full = sweep("without", seconds: 600, keys: ["0.1 64", "0.1 128", "0.5 64", "0.5 128"], epochs: 24, stopped: 0)

    @Test func sameBestIsSaidSo() {
        let early = Self.sweep("with", seconds: 240, keys: ["0.1 128", "0.5 64"], epochs: 10, stopped: 6)
        let comparison = EarlyStoppingComparison(full: Self.full, early: early)
        #expect(comparison.foundTheSameBest)
        #expect(comparison.speedUp == 2.5)
        #expect(comparison.earlyBestAgainstFullBest == .best)
        let text = comparison.render()
        #expect(text.contains("Speed-up: 2.50× in wall time, 2.40× fewer epochs trained."))
        #expect(text.contains("Early stopping found the same best configuration as the full sweep."))
        #expect(text.contains("10 of 24") && text.contains("6 of 12"))
    }

    /// Early stopping kept σ 0.1 [64] (22 ± 2 over seeds 20, 22, 24) but stopped σ 0.1 [128] (25 ± 1):
    /// Welch's t = −2.32 on 2.94 degrees of freedom, p ≈ 0.10, so the seeds cannot separate them, while
    /// 22 lies outside the best's 95% interval 25 ± 4.303/√3 = [22.52, 27.48].
    @Test func anotherBestIsPlacedInTheFullRanking() throws {
        let early = Self.sweep("with", seconds: 300, keys: ["0.1 64", "0.5 64"], epochs: 12, stopped: 6)
        let comparison = EarlyStoppingComparison(full: Self.full, early: early)
        #expect(!comparison.foundTheSameBest)
        #expect(comparison.earlyBestInFull?.rank == 2)
        let verdict = try #require(comparison.earlyBestAgainstFullBest)
        #expect(verdict.verdict == .indistinguishable)
        #expect(abs((verdict.pValue ?? 0) - 0.1049) < 0.002)
        #expect(comparison.earlyBestWithinConfidenceInterval == false)
        let text = comparison.render()
        #expect(text.contains("ranks 2 of 4 in the full sweep, at 22.00 ± 2.00 (3) against 25.00 ± 1.00 (3)"))
        #expect(text.contains("not distinguishable from the best ≈ (p=0.10)"))
        #expect(text.contains("outside the best's 95% CI [22.52, 27.48]"))
    }

    @Test func theSpecWithoutItsRuleHasTheSameTrials() throws {
        let spec = try SweepSpec.parse(
            """
            name: pair   # a comment
            base: {epochs: 4}
            grid: {model.sparsity: [0, 1.0e-4]}
            seeds: 2
            early_stopping: {kind: asha, rungs: [1, 2]}
            """, file: "pair.yaml")
        let full = try SweepSpec.parse(try spec.textWithoutEarlyStopping(), file: "pair-full.yaml")
        #expect(full.earlyStopping == nil)
        #expect(full.name == "pair")
        #expect(full.trials().map(\.id) == spec.trials().map(\.id))
    }
}
