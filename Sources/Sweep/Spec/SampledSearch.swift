// The random or quasi-random part of a sweep: what a spec's `method`, `samples`, `sample_seed` and
// `space` keys asked for, and what drawing the samples gave.

/// Samples drawn from a search space and crossed with every grid point of a spec.
///
/// Sample values are drawn once and the same samples go with every grid point, so a spec with 3 grid
/// points and 16 samples has 48 points (fewer when some give the same configuration: see
/// `droppedDuplicateCount`).
public struct SampledSearch: Sendable, Hashable {
    /// How the unit coordinates are drawn; `.random(seed:)` holds `sample_seed`.
    public let method: SamplingMethod
    /// How many samples the spec asks for (`samples`).
    public let sampleCount: Int
    /// The sampled keys and their distributions, in the order written (which decides, for Sobol' and
    /// Halton, which coordinate of the sequence each key takes).
    public let space: SearchSpace
    /// Grid points before crossing with the samples (1 when the spec has no grid).
    public let gridPointCount: Int
    /// Points left out because an earlier point has the same configuration, e.g. when a space of choices
    /// has fewer distinct combinations than samples.
    public let droppedDuplicateCount: Int

    public init(
        method: SamplingMethod, sampleCount: Int, space: SearchSpace, gridPointCount: Int, droppedDuplicateCount: Int
    ) {
        self.method = method
        self.sampleCount = sampleCount
        self.space = space
        self.gridPointCount = gridPointCount
        self.droppedDuplicateCount = droppedDuplicateCount
    }

    /// The seed of random sampling; `nil` for Sobol' and Halton, which need none.
    public var sampleSeed: UInt64? {
        if case .random(let seed) = method { seed } else { nil }
    }

    /// The sampled keys, in the order written.
    public var keys: [String] { space.dimensions.map(\.key) }

    /// The method as prose names it: `random`, `Sobol'`, `Halton`.
    public var methodName: String {
        switch method {
        case .random: "random"
        case .sobol: "Sobol'"
        case .halton: "Halton"
        }
    }
}
