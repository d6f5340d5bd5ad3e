// Student's t distribution, for confidence intervals over seeds and Welch's test between configurations.

import Foundation

/// Student's t distribution with `degreesOfFreedom` ν, which may be fractional (Welch's approximation).
///
/// The CDF goes through the regularized incomplete beta function,
/// P(|T| > t) = I_{ν/(ν+t²)}(ν/2, 1/2), evaluated by its continued fraction (modified Lentz).
public struct StudentTDistribution: Sendable, Hashable {
    /// ν, positive and finite.
    public var degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(
            degreesOfFreedom > 0 && degreesOfFreedom.isFinite, "degrees of freedom must be positive and finite")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(T ≤ `t`).
    public func cumulativeProbability(_ t: Double) -> Double {
        guard !t.isNaN else { return .nan }
        let tail = upperTailProbability(abs(t))
        return t > 0 ? 1 - tail : tail
    }

    /// P(|T| ≥ |`t`|): the two-sided p-value of a t statistic.
    public func twoSidedProbability(_ t: Double) -> Double {
        guard !t.isNaN else { return .nan }
        return min(1, 2 * upperTailProbability(abs(t)))
    }

    /// The t with P(T ≤ t) = `probability`, found by bisection to a relative width of 1e-13.
    public func quantile(_ probability: Double) -> Double {
        precondition(probability > 0 && probability < 1, "a quantile needs a probability strictly between 0 and 1")
        if probability == 0.5 { return 0 }
        // Solve P(T ≥ t) = tail for t > 0; the lower half follows by symmetry.
        let tail = min(probability, 1 - probability)
        var low = 0.0
        var high = 1.0
        while upperTailProbability(high) > tail && high < .greatestFiniteMagnitude / 4 {
            low = high
            high *= 2
        }
        while high - low > 1e-13 * max(1, high) {
            let middle = (low + high) / 2
            if upperTailProbability(middle) > tail { low = middle } else { high = middle }
        }
        let t = (low + high) / 2
        return probability > 0.5 ? t : -t
    }

    /// P(T ≥ `t`) for `t` ≥ 0, without the cancellation of 1 − CDF.
    private func upperTailProbability(_ t: Double) -> Double {
        guard t.isFinite else { return 0 }
        let squared = t * t
        let denominator = degreesOfFreedom + squared
        return 0.5
            * Self.regularizedIncompleteBeta(
                x: degreesOfFreedom / denominator, complement: squared / denominator, a: degreesOfFreedom / 2, b: 0.5)
    }

    /// I_x(a, b), with `complement` = 1 − x passed in so that x near 1 keeps its precision.
    static func regularizedIncompleteBeta(x: Double, complement: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if complement <= 0 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(complement)
        // The fraction converges fast for x < (a + 1) / (a + b + 2); beyond, use I_x(a, b) = 1 − I_{1−x}(b, a).
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(x: complement, a: b, b: a) / b
    }

    /// The continued fraction of I_x(a, b), evaluated by the modified Lentz method (Numerical Recipes §6.4).
    private static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        func guarded(_ value: Double) -> Double { abs(value) < tiny ? tiny : value }
        var c = 1.0
        var d = 1 / guarded(1 - (a + b) * x / (a + 1))
        var fraction = d
        // Convergence takes O(√max(a, b)) terms; the bound only stops a runaway loop.
        for step in 1...10_000 {
            let m = Double(step)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 / guarded(1 + even * d)
            c = guarded(1 + even / c)
            fraction *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 / guarded(1 + odd * d)
            c = guarded(1 + odd / c)
            let change = d * c
            fraction *= change
            if abs(change - 1) < epsilon { break }
        }
        return fraction
    }
}
