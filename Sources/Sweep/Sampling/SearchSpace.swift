// The space a random or quasi-random search draws configurations from.

import Foundation

/// An ordered list of keys, each with the distribution its values are drawn from.
///
/// The order matters: dimension i of the search space takes coordinate i of a Sobol' or Halton
/// point, so reordering the keys changes which values a quasi-random search visits.
/// Invalid bounds are programmer errors here; the spec parser reports them to users first.
public struct SearchSpace: Sendable, Hashable {
    public enum Distribution: Sendable, Hashable {
        /// A number in [low, high).
        case uniform(low: Double, high: Double)
        /// A number whose logarithm is uniform in [log low, log high); `low` > 0.
        case logUniform(low: Double, high: Double)
        /// An integer in low...high, both included.
        case integerUniform(low: Int, high: Int)
        /// One of the values, each equally likely.
        case choice([ParameterValue])
    }

    public struct Dimension: Sendable, Hashable {
        public let key: String
        public let distribution: Distribution

        public init(key: String, distribution: Distribution) {
            switch distribution {
            case .uniform(let low, let high):
                precondition(low.isFinite && high.isFinite && low <= high, "\(key): uniform bounds [\(low), \(high)] are not finite and ordered")
            case .logUniform(let low, let high):
                precondition(low > 0 && high.isFinite && low <= high, "\(key): log-uniform bounds [\(low), \(high)] must satisfy 0 < low ≤ high")
            case .integerUniform(let low, let high):
                precondition(low <= high && !high.subtractingReportingOverflow(low).overflow && high - low < Int.max,
                             "\(key): integer bounds \(low)...\(high) are not ordered or span too much")
            case .choice(let values):
                precondition(!values.isEmpty, "\(key): a choice needs at least one value")
            }
            self.key = key
            self.distribution = distribution
        }
    }

    public let dimensions: [Dimension]

    public init(_ dimensions: [Dimension]) {
        precondition(Set(dimensions.map(\.key)).count == dimensions.count, "search-space keys must be distinct")
        self.dimensions = dimensions
    }

    public init(_ dimensions: [(key: String, distribution: Distribution)]) {
        self.init(dimensions.map { Dimension(key: $0.key, distribution: $0.distribution) })
    }

    /// The value dimension `dimension` takes at coordinate `unit` ∈ [0, 1).
    ///
    /// A choice of n values and an integer range of n values cut [0, 1) into n equal buckets,
    /// bucket ⌊u·n⌋ (clamped, so rounding never picks a value past the last).
    public func value(of dimension: Int, at unit: Double) -> ParameterValue {
        precondition(unit >= 0 && unit <= 1, "unit coordinate \(unit) is outside [0, 1]")
        switch dimensions[dimension].distribution {
        case .uniform(let low, let high):
            return .number(min(low + unit * (high - low), high))
        case .logUniform(let low, let high):
            // Scaling `low` rather than exponentiating log(low) keeps u = 0 at exactly `low`.
            return .number(min(low * exp(unit * log(high / low)), high))
        case .integerUniform(let low, let high):
            let span = high - low  // one less than the number of values
            return .integer(low + Self.bucket(of: unit, count: UInt(span) + 1))
        case .choice(let values):
            return values[Self.bucket(of: unit, count: UInt(values.count))]
        }
    }

    /// ⌊u·count⌋ clamped to count − 1.
    private static func bucket(of unit: Double, count: UInt) -> Int {
        let scaled = unit * Double(count)
        guard scaled < Double(count) else { return Int(count - 1) }
        return Int(min(UInt(scaled), count - 1))
    }
}
