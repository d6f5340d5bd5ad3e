// Model-based proposals: the tree-structured Parzen estimator (Bergstra, Bardenet, Bengio & Kégl, 2011),
// as Optuna's `TPESampler` runs it by default (independent dimensions, a prior component, magic-clipped
// bandwidths, running trials counted among the bad ones).

import Datasets
import Foundation

/// Proposes the next configuration of a search space from the configurations tried so far and their losses.
///
/// Works on unit coordinates, the same `[0, 1)` per dimension that random and Sobol' sampling map through
/// `SearchSpace.value(of:at:)`: a log-uniform dimension is uniform in its logarithm there, so its Parzen
/// estimator is one in log space, as Optuna's is; an integer dimension is a continuous one rounded into its
/// buckets; a choice is categorical.
///
/// Proposal `n` (numbered from 0) is a function of the seed, `n`, and the `n` observations before it, in the
/// order they were proposed, each with its loss or, when its result was not in yet, none. Nothing else: a
/// coordinator that rebuilds those observations from its store after a restart proposes exactly what it
/// would have.
///
/// - The first `startupCount` proposals (and any made before one result is in) are the startup points:
///   Sobol' points 1, 2, … or uniform draws from the seed.
/// - Then the finished observations are split at the quantile γ(n) = min(⌈n/10⌉, 25): the best γ(n) are
///   "good", the others "bad". Observations still running count among the bad (a constant liar with the
///   worst value), so that parallel workers do not get near-duplicates of the same promising point.
/// - Per dimension, the good and the bad values each give a Parzen estimator `l` and `g`: a mixture of
///   normals truncated to `[0, 1]`, one at each value (bandwidth the larger gap to its sorted neighbours,
///   clipped to `[1 / min(100, n + 1), 1]`) and a prior component at 0.5 of bandwidth 1 with weight
///   `priorWeight`; for a choice, the value counts plus `priorWeight / k` per choice.
/// - `candidateCount` candidates are drawn from `l` and the one with the largest `log l − log g`, summed
///   over the dimensions, is proposed (the first of equals), among those the caller accepts if any.
public struct TreeParzenEstimator: Sendable {
    /// A configuration proposed earlier, as unit coordinates, with its loss once its result is in.
    public struct Observation: Sendable, Hashable {
        /// One coordinate in `[0, 1]` per dimension of the space.
        public var units: [Double]
        /// The value minimised; `nil` while the trial is running.
        public var loss: Double?

        public init(units: [Double], loss: Double?) {
            self.units = units
            self.loss = loss
        }
    }

    /// How the startup points are drawn.
    public enum Startup: Sendable, Hashable {
        /// Uniform draws, proposal `n`'s from the seed and `n`.
        case random
        /// Sobol' points, proposal `n` taking point `n + 1` (the origin skipped).
        case sobol
    }

    public let space: SearchSpace
    public let seed: UInt64
    /// Proposals drawn as startup points before the estimator takes over (Optuna's default is 10).
    public var startupCount = 10
    public var startup = Startup.random
    /// Candidates drawn from `l` per proposal (Optuna's default is 24).
    public var candidateCount = 24
    /// The weight of each estimator's prior component.
    public var priorWeight = 1.0

    public init(space: SearchSpace, seed: UInt64) {
        self.space = space
        self.seed = seed
    }

    /// The number of good observations among `finished`: min(⌈finished / 10⌉, 25).
    public static func goodCount(finished: Int) -> Int {
        min((finished + 9) / 10, 25)
    }

    /// The unit coordinates of proposal number `observations.count`: among the candidates `accept` takes, the
    /// best scoring (more candidates are drawn, up to ten times as many, until it takes one); the best of all
    /// when it takes none (a caller rejects those it has tried).
    ///
    /// - Precondition: every observation has one coordinate per dimension, each in `[0, 1]`, and every
    ///   loss is finite.
    public func propose(after observations: [Observation], accepting accept: ([Double]) -> Bool = { _ in true })
        -> [Double]
    {
        let dimensionCount = space.dimensions.count
        precondition(
            observations.allSatisfy { $0.units.count == dimensionCount && $0.units.allSatisfy { (0...1).contains($0) } },
            "every observation needs \(dimensionCount) unit coordinates in [0, 1]")
        precondition(observations.allSatisfy { $0.loss?.isFinite ?? true }, "losses must be finite")
        let index = observations.count
        var generator = SeededGenerator(seed: seed, stream: 0x7470_6500 &+ UInt64(index))
        let finished = observations.enumerated().compactMap { entry in entry.element.loss.map { (offset: entry.offset, loss: $0) } }
        guard dimensionCount > 0 else { return [] }
        guard index >= startupCount, !finished.isEmpty else { return startupPoint(index, generator: &generator) }

        let estimators = estimators(after: observations, finished: finished)
        var best: (units: [Double], score: Double)?
        var bestAccepted: (units: [Double], score: Double)?
        // `candidateCount` candidates; more, up to ten times as many, while `accept` has taken none.
        for drawn in 0..<max(1, candidateCount) * 10 {
            if drawn >= max(1, candidateCount), bestAccepted != nil { break }
            let candidate = estimators.map { $0.good.sample(using: &generator) }
            let score = Self.score(candidate, estimators)
            if best == nil || score > best!.score { best = (candidate, score) }
            if bestAccepted == nil || score > bestAccepted!.score, accept(candidate) { bestAccepted = (candidate, score) }
        }
        return (bestAccepted ?? best!).units
    }

    /// The startup point of proposal `index`: what `propose` gives while fewer than `startupCount` proposals
    /// were made or no result is in.
    public func startupPoint(_ index: Int) -> [Double] {
        var generator = SeededGenerator(seed: seed, stream: 0x7470_6500 &+ UInt64(index))
        return startupPoint(index, generator: &generator)
    }

    /// `log l − log g` of `units`, summed over the dimensions, as the proposal after `observations` scores
    /// it (for tests; `propose` computes the estimators once for all its candidates).
    func score(_ units: [Double], after observations: [Observation]) -> Double {
        let finished = observations.enumerated().compactMap { entry in entry.element.loss.map { (offset: entry.offset, loss: $0) } }
        return Self.score(units, estimators(after: observations, finished: finished))
    }

    private static func score(_ units: [Double], _ estimators: [(good: ParzenEstimator, bad: ParzenEstimator)]) -> Double {
        zip(units, estimators).reduce(0.0) { sum, pair in
            sum + pair.1.good.logDensity(at: pair.0) - pair.1.bad.logDensity(at: pair.0)
        }
    }

    /// Each dimension's estimators of the good and the bad observations: the best γ(n) finished ones are
    /// good (ties broken by the earlier proposal); the rest, running ones included, are bad.
    private func estimators(
        after observations: [Observation], finished: [(offset: Int, loss: Double)]
    ) -> [(good: ParzenEstimator, bad: ParzenEstimator)] {
        let ranked = finished.sorted { $0.loss != $1.loss ? $0.loss < $1.loss : $0.offset < $1.offset }
        let goodIndices = Set(ranked.prefix(Self.goodCount(finished: finished.count)).map(\.offset))
        let good = observations.indices.filter { goodIndices.contains($0) }.map { observations[$0].units }
        let bad = observations.indices.filter { !goodIndices.contains($0) }.map { observations[$0].units }
        return space.dimensions.indices.map { dimension in
            let distribution = space.dimensions[dimension].distribution
            return (
                good: ParzenEstimator(distribution, values: good.map { $0[dimension] }, priorWeight: priorWeight),
                bad: ParzenEstimator(distribution, values: bad.map { $0[dimension] }, priorWeight: priorWeight)
            )
        }
    }

    /// The configuration unit coordinates stand for.
    public func configuration(at units: [Double]) -> [String: ParameterValue] {
        precondition(units.count == space.dimensions.count, "one unit coordinate per dimension")
        return Dictionary(uniqueKeysWithValues: space.dimensions.indices.map { (space.dimensions[$0].key, space.value(of: $0, at: units[$0])) })
    }

    private func startupPoint(_ index: Int, generator: inout SeededGenerator) -> [Double] {
        switch startup {
        case .random:
            return space.dimensions.map { _ in generator.nextUnitDouble() }
        case .sobol:
            return SobolSequence.points(count: 1, dimension: space.dimensions.count, skip: index + 1)[0]
        }
    }
}
