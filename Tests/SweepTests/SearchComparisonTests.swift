import Foundation
import TestSupport
import Testing
import Training

@testable import Sweep

/// What `aesweep bench search` runs and how it scores the methods.
@Suite struct SearchComparisonTests {
    static func benchSpec() throws -> SweepSpec {
        try SweepSpec.load(from: SpecFilesTests.sweepsDirectory.appendingPathComponent("bench-search.yaml"))
    }

    @Test func eachVariantSearchesTheGridsValuesAtOneSeed() throws {
        let spec = try Self.benchSpec()
        let tpe = try SweepSpec.parse(
            try spec.searchVariantText(.sampled(method: "tpe", samples: 27, sampleSeed: 2), name: "v-tpe", seed: 2),
            file: "v-tpe.yaml")
        let search = try #require(tpe.modelBasedSearch)
        #expect(tpe.name == "v-tpe" && tpe.seeds == [2] && search.seed == 2 && search.proposalCount == 27)
        #expect(search.keys == ["model.encoder", "model.sparsity", "model.dropout", "optimizer.learning_rate"])
        #expect(search.space.dimensions[2].distribution == .choice([.integer(0), .number(0.1), .number(0.3)]))
        #expect(tpe.base == spec.base)

        let asha = try SweepSpec.parse(
            try spec.searchVariantText(.grid(earlyStopping: true), name: "v-asha", seed: 1), file: "v-asha.yaml")
        #expect(asha.gridPoints.count == 81 && asha.seeds == [1] && asha.earlyStopping == spec.earlyStopping)
        let grid = try SweepSpec.parse(
            try spec.searchVariantText(.grid(earlyStopping: false), name: "v-grid", seed: 0), file: "v-grid.yaml")
        #expect(grid.earlyStopping == nil && grid.trials() .count == 81)
    }

    static func outcome(_ id: String, _ value: Double?, epochs: Int = 2) -> SearchComparison.TrialOutcome {
        .init(configurationID: TrialIdentifier(rawValue: id), parameters: ["k": .text(id)], value: value, epochs: epochs)
    }

    @Test func runsAreScoredByTheEpochsToTheReferencesIntervalAndTheirFinalBest() throws {
        // The grid at three seeds: "a" is best (10, 11, 12: mean 11, 95% CI 11 ± 4.30 × 0.577 = [8.52, 13.48]).
        let grid = (0..<3).map { seed in
            SearchComparison.Run(
                method: "grid", repetition: seed, seconds: 10,
                trials: [Self.outcome("b", 8), Self.outcome("a", 10 + Double(seed)), Self.outcome("c", nil)])
        }
        let found = SearchComparison.Run(
            method: "tpe", repetition: 0, seconds: 3,
            trials: [Self.outcome("c", 5, epochs: 1), Self.outcome("b", 8), Self.outcome("d", 9, epochs: 3)])
        let missed = SearchComparison.Run(method: "tpe", repetition: 1, seconds: 4, trials: [Self.outcome("b", 8)])
        let comparison = SearchComparison(metric: .validationPSNR, referenceMethod: "grid", runs: grid + [found, missed])
        let reference = try #require(comparison.reference)
        #expect(reference.parameters == ["k": .text("a")])
        #expect(reference.statistics.mean == 11)
        #expect(abs(reference.target - 8.516) < 0.001)
        #expect(comparison.epochsToTarget(found, target: reference.target) == 6)
        #expect(comparison.epochsToTarget(missed, target: reference.target) == nil)
        #expect(comparison.finalBest(found) == 9)
        #expect(comparison.methods == ["grid", "tpe"])
        let text = comparison.render()
        #expect(text.contains("1 of 2"))
        #expect(text.contains("3 of 3"))
    }
}
