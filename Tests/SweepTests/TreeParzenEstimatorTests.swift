import Datasets
import Foundation
import Testing

@testable import Sweep

@Suite("Tree-structured Parzen estimator")
struct TreeParzenEstimatorTests {
    static let cube = SearchSpace([
        (key: "a", distribution: .uniform(low: 0, high: 1)),
        (key: "b", distribution: .uniform(low: 0, high: 1)),
        (key: "c", distribution: .uniform(low: 0, high: 1)),
    ])
    static let centre = [0.2, 0.7, 0.35]

    static func quadratic(_ units: [Double]) -> Double {
        zip(units, centre).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    /// `count` proposals made one after another, each result in before the next is asked for.
    static func sequentialSearch(
        _ estimator: TreeParzenEstimator, count: Int, loss: ([Double]) -> Double
    ) -> [TreeParzenEstimator.Observation] {
        var observations: [TreeParzenEstimator.Observation] = []
        for _ in 0..<count {
            let units = estimator.propose(after: observations)
            observations.append(.init(units: units, loss: loss(units)))
        }
        return observations
    }

    @Test func goodCountIsATenthRoundedUpAtMostTwentyFive() {
        #expect([1, 10, 11, 20, 21, 250, 251, 10_000].map { TreeParzenEstimator.goodCount(finished: $0) } == [1, 1, 2, 2, 3, 25, 25, 25])
    }

    @Test func startupProposalsAreTheSobolPointsAfterTheOrigin() {
        var estimator = TreeParzenEstimator(space: Self.cube, seed: 1)
        estimator.startup = .sobol
        estimator.startupCount = 6
        let observations = Self.sequentialSearch(estimator, count: 6, loss: Self.quadratic)
        #expect(observations.map(\.units) == SobolSequence.points(count: 6, dimension: 3, skip: 1))
    }

    @Test func aProposalDependsOnlyOnTheSeedTheIndexAndTheObservations() {
        let estimator = TreeParzenEstimator(space: Self.cube, seed: 7)
        let observations = Self.sequentialSearch(estimator, count: 25, loss: Self.quadratic)
        // Asked again, by a fresh estimator (a restarted coordinator), from any prefix: the same proposal.
        let again = TreeParzenEstimator(space: Self.cube, seed: 7)
        for prefix in [0, 5, 12, 24] {
            #expect(again.propose(after: Array(observations.prefix(prefix))) == observations[prefix].units)
        }
        let otherSeed = TreeParzenEstimator(space: Self.cube, seed: 8)
        #expect(otherSeed.propose(after: Array(observations.prefix(20))) != observations[20].units)
    }

    /// On a quadratic bowl, 40 proposals of TPE get closer to the minimum than 40 uniform draws, in most of
    /// 8 seeds and in the median.
    @Test func findsABetterMinimumThanRandomSearchWithTheSameBudget() {
        var wins = 0
        var tpeBest: [Double] = [], randomBest: [Double] = []
        for seed in UInt64(1)...8 {
            let tpe = Self.sequentialSearch(TreeParzenEstimator(space: Self.cube, seed: seed), count: 40, loss: Self.quadratic)
            let random = Self.cube.samples(count: 40, method: .random(seed: seed))
                .map { sample in Self.quadratic(["a", "b", "c"].map { sample[$0]!.numericValue! }) }
            tpeBest.append(tpe.compactMap(\.loss).min()!)
            randomBest.append(random.min()!)
            if tpeBest.last! < randomBest.last! { wins += 1 }
        }
        #expect(wins >= 6, "TPE best \(tpeBest) against random \(randomBest)")
        #expect(tpeBest.sorted()[4] < randomBest.sorted()[4] / 2, "TPE best \(tpeBest) against random \(randomBest)")
    }

    /// A running trial counts among the bad results (a constant liar): proposing with it running is
    /// proposing with it finished at a loss worse than all (when the count of good results is the same either
    /// way), and it lowers the score of its own point, so the next worker is steered away from it.
    @Test func aRunningTrialCountsAsABadResult() {
        let estimator = TreeParzenEstimator(space: Self.cube, seed: 3)
        let finished = Self.sequentialSearch(estimator, count: 21, loss: Self.quadratic)
        let best = finished.min { $0.loss! < $1.loss! }!.units
        let running = finished + [.init(units: best, loss: nil)]
        let liar = finished + [.init(units: best, loss: 1_000)]
        #expect(TreeParzenEstimator.goodCount(finished: 21) == TreeParzenEstimator.goodCount(finished: 22))
        #expect(estimator.propose(after: running) == estimator.propose(after: liar))
        let elsewhere = finished + [.init(units: [0.95, 0.05, 0.95], loss: nil)]
        #expect(estimator.score(best, after: running) < estimator.score(best, after: elsewhere) - 0.1)
    }

    /// Parallel workers each asking while the others' trials run get spread-out proposals, not the same point.
    @Test func parallelProposalsAreNotDuplicates() {
        let estimator = TreeParzenEstimator(space: Self.cube, seed: 5)
        var observations = Self.sequentialSearch(estimator, count: 20, loss: Self.quadratic)
        for _ in 0..<8 { observations.append(.init(units: estimator.propose(after: observations), loss: nil)) }
        let parallel = observations.suffix(8).map(\.units)
        let closest = parallel.indices.flatMap { i in
            parallel.indices.filter { $0 > i }.map { j in zip(parallel[i], parallel[j]).map { abs($0 - $1) }.max()! }
        }.min()!
        #expect(closest > 1e-3, "two of eight parallel proposals coincide: \(parallel)")
    }

    @Test func choicesConcentrateOnTheValueWithTheLowestLoss() {
        let space = SearchSpace([
            (key: "activation", distribution: .choice([.text("relu"), .text("tanh"), .text("elu"), .text("gelu")]))
        ])
        let estimator = TreeParzenEstimator(space: space, seed: 2)
        let observations = Self.sequentialSearch(estimator, count: 40) { units in
            estimator.configuration(at: units)["activation"] == .text("elu") ? 0 : 1
        }
        let late = observations.suffix(20).filter { estimator.configuration(at: $0.units)["activation"] == .text("elu") }
        #expect(late.count >= 14, "\(late.count) of the last 20 proposals chose the best value")
    }

    @Test func logAndIntegerDimensionsMapThroughTheSpace() {
        let space = SearchSpace([
            (key: "learning_rate", distribution: .logUniform(low: 1e-4, high: 1e-1)),
            (key: "hidden", distribution: .integerUniform(low: 16, high: 512)),
        ])
        let estimator = TreeParzenEstimator(space: space, seed: 4)
        // Best near learning rate 1e-3 (a third of the log range) and 128 hidden units.
        let observations = Self.sequentialSearch(estimator, count: 40) { units in
            let configuration = estimator.configuration(at: units)
            let rate = configuration["learning_rate"]!.numericValue!
            let hidden = configuration["hidden"]!.numericValue!
            return pow(log10(rate) + 3, 2) + pow((hidden - 128) / 496, 2)
        }
        for observation in observations {
            let configuration = estimator.configuration(at: observation.units)
            #expect((1e-4...1e-1).contains(configuration["learning_rate"]!.numericValue!))
            #expect(configuration["hidden"].map { if case .integer(let units) = $0 { (16...512).contains(units) } else { false } } == true)
        }
        let best = observations.min { $0.loss! < $1.loss! }!
        #expect(best.loss! < 0.05, "best loss \(best.loss!) after 40 proposals")
    }

    @Test func theInverseNormalCDFInvertsTheCDF() {
        for probability in [1e-10, 1e-4, 0.01, 0.02425, 0.1, 0.5, 0.77, 0.975, 0.99999] {
            let x = ParzenEstimator.inverseNormalCDF(probability)
            #expect(abs(ParzenEstimator.normalCDF(x) - probability) <= 1e-8 * max(probability, 1e-2))
        }
    }
}
