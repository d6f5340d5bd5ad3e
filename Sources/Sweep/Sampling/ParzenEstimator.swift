// One dimension's density estimate for the tree-structured Parzen estimator.

import Datasets
import Foundation

/// The Parzen estimator of one dimension over one group of observations, in unit coordinates.
struct ParzenEstimator: Sendable {
    /// A numeric dimension: normals truncated to [0, 1], the prior's last.
    private var centres: [Double] = []
    private var widths: [Double] = []
    private var weights: [Double] = []
    /// Per component: weight / (width · √(2π) · the normal's mass inside [0, 1]), so that the density is
    /// Σ scale · e^(−z²/2).
    private var scales: [Double] = []
    /// A choice of `categoryWeights.count` values: their probabilities.
    private var categoryWeights: [Double] = []

    init(_ distribution: SearchSpace.Distribution, values: [Double], priorWeight: Double) {
        if case .choice(let choices) = distribution {
            let count = choices.count
            var weights = [Double](repeating: priorWeight / Double(count), count: count)
            for value in values { weights[Self.category(of: value, count: count)] += 1 }
            let total = weights.reduce(0, +)
            categoryWeights = weights.map { $0 / total }
            return
        }
        // Bandwidths as Optuna's (consider_endpoints off, magic clip on): the larger gap to the sorted
        // neighbours, the prior among them, the range's ends beyond the first and the last.
        let prior = 0.5
        let points = (values + [prior]).enumerated().sorted { $0.element != $1.element ? $0.element < $1.element : $0.offset < $1.offset }
        var width = [Double](repeating: 1, count: points.count)
        for (position, point) in points.enumerated() {
            let left = position > 0 ? points[position - 1].element : 0
            let right = position + 1 < points.count ? points[position + 1].element : 1
            width[point.offset] = max(point.element - left, right - point.element)
        }
        let minimum = 1 / Double(min(100, values.count + 1))
        centres = values + [prior]
        widths = values.indices.map { min(max(width[$0], minimum), 1) } + [1]
        let raw = [Double](repeating: 1, count: values.count) + [priorWeight]
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
        scales = centres.indices.map { component in
            let (centre, width) = (centres[component], widths[component])
            let mass = Self.normalCDF((1 - centre) / width) - Self.normalCDF(-centre / width)
            return weights[component] / (width * (2 * Double.pi).squareRoot() * max(mass, 1e-12))
        }
    }

    /// A draw from the estimator: for a choice, the centre of the chosen value's bucket.
    func sample(using generator: inout SeededGenerator) -> Double {
        if !categoryWeights.isEmpty {
            let category = Self.pick(categoryWeights, at: generator.nextUnitDouble())
            return (Double(category) + 0.5) / Double(categoryWeights.count)
        }
        let component = Self.pick(weights, at: generator.nextUnitDouble())
        let (centre, width) = (centres[component], widths[component])
        // Inverse transform within the truncation: u uniform between Φ(−centre/width) and Φ((1−centre)/width).
        let low = Self.normalCDF(-centre / width), high = Self.normalCDF((1 - centre) / width)
        let value = centre + width * Self.inverseNormalCDF(low + (high - low) * generator.nextUnitDouble())
        return min(max(value, 0), 1)
    }

    /// log density at `value`.
    func logDensity(at value: Double) -> Double {
        if !categoryWeights.isEmpty {
            return log(categoryWeights[Self.category(of: value, count: categoryWeights.count)])
        }
        var density = 0.0
        for component in centres.indices {
            let z = (value - centres[component]) / widths[component]
            density += scales[component] * exp(-0.5 * z * z)
        }
        return log(max(density, 1e-300))
    }

    static func category(of unit: Double, count: Int) -> Int {
        min(Int(unit * Double(count)), count - 1)
    }

    /// The first index whose cumulative weight exceeds `unit`.
    private static func pick(_ weights: [Double], at unit: Double) -> Int {
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() {
            cumulative += weight
            if unit < cumulative { return index }
        }
        return weights.count - 1
    }

    static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// Φ⁻¹(p) by Acklam's rational approximation (relative error below 1.15e-9), p clamped into (0, 1).
    static func inverseNormalCDF(_ probability: Double) -> Double {
        let p = min(max(probability, 1e-300), 1 - 1e-16)
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let lowTail = 0.02425
        if p < lowTail {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - lowTail {
            let q = (-2 * log(1 - p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
