/// How a search draws the unit coordinates it maps through a `SearchSpace`.
public enum SamplingMethod: Sendable, Hashable {
    /// Independent uniform draws from `SeededGenerator(seed:)`: the same seed gives the same samples.
    case random(seed: UInt64)
    /// Unscrambled Sobol' points (at most 21 dimensions), skipping the origin.
    case sobol
    /// Unscrambled Halton points, skipping the origin.
    case halton
}
