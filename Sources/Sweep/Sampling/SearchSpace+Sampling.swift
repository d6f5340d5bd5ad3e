// Drawing configurations from a search space.

import Datasets

extension SearchSpace {
    /// `count` configurations, each giving every key of the space a value.
    ///
    /// Sobol' and Halton skip their first point, the origin, which would put every parameter at its
    /// lower bound (or first choice); sample i is point i + 1 of the sequence, so taking more samples
    /// later extends, rather than changes, the earlier ones. The same holds for `.random` with one seed.
    public func samples(count: Int, method: SamplingMethod) -> [[String: ParameterValue]] {
        precondition(count >= 0, "cannot draw a negative number of samples")
        guard !dimensions.isEmpty else { return Array(repeating: [:], count: count) }
        let units: [[Double]]
        switch method {
        case .random(let seed):
            var generator = SeededGenerator(seed: seed)
            units = (0..<count).map { _ in dimensions.map { _ in generator.nextUnitDouble() } }
        case .sobol:
            precondition(
                dimensions.count <= SobolSequence.maximumDimension,
                "Sobol' sampling covers at most \(SobolSequence.maximumDimension) keys, not \(dimensions.count)"
            )
            units = SobolSequence.points(count: count, dimension: dimensions.count, skip: 1)
        case .halton:
            units = HaltonSequence.points(count: count, dimension: dimensions.count, skip: 1)
        }
        return units.map { point in
            Dictionary(uniqueKeysWithValues: dimensions.indices.map { (dimensions[$0].key, value(of: $0, at: point[$0])) })
        }
    }
}

extension SeededGenerator {
    /// A uniform `Double` in [0, 1) with 53 random bits (`nextUnitFloat()` has only 24).
    mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
