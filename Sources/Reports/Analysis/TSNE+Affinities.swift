// The input side of t-SNE: distances, each point's Gaussian calibrated to the perplexity, and the
// symmetric joint probabilities the map is fitted to.

import Foundation
import Training

extension TSNE {
    /// `‖xᵢ − xⱼ‖²` for every pair of rows of `points` (`[count × dimension]`), `[count × count]`,
    /// from the Gram matrix `X · Xᵀ` (`cblas_sgemm`): `‖xᵢ‖² + ‖xⱼ‖² − 2 xᵢ·xⱼ`, clamped at zero.
    static func squaredDistances(_ points: [Float], count: Int, dimension: Int) -> [Float] {
        var distances = [Float](repeating: 0, count: count * count)
        points.withUnsafeBufferPointer { points in
            distances.withUnsafeMutableBufferPointer { gram in
                BLAS.multiply(
                    points, transposeA: false, points, transposeB: true, into: gram, m: count, n: count, k: dimension)
                for row in 0..<count {
                    let rowNorm = gram[row * count + row]
                    for column in (row + 1)..<max(count, row + 1) {
                        let distance = max(0, rowNorm + gram[column * count + column] - 2 * gram[row * count + column])
                        gram[row * count + column] = distance
                    }
                }
                for row in 0..<count {
                    gram[row * count + row] = 0
                    for column in 0..<row { gram[row * count + column] = gram[column * count + row] }
                }
            }
        }
        return distances
    }

    /// The conditional probabilities `p_{j|i} = exp(−βᵢ dᵢⱼ) / Σₖ≠ᵢ exp(−βᵢ dᵢₖ)`, `[count × count]`
    /// (row `i` sums to 1, `p_{i|i}` = 0), from `squaredDistances` `dᵢⱼ`, `[count × count]`.
    ///
    /// Each precision `βᵢ = 1 / 2σᵢ²` is found by bisection (doubling or halving until bracketed)
    /// so that the row's entropy `H = −Σⱼ p_{j|i} log p_{j|i}` is `log(perplexity)` within 1e-5 nats,
    /// as in the reference implementation. The search runs in `Double`, on distances less the row's
    /// smallest, which leaves the probabilities unchanged and keeps the exponentials finite.
    static func conditionalProbabilities(squaredDistances: consuming [Float], count: Int, perplexity: Double) -> [Float] {
        var values = squaredDistances
        let target = log(perplexity)
        var shifted = [Double](repeating: 0, count: max(count - 1, 0))
        var weights = [Double](repeating: 0, count: max(count - 1, 0))
        values.withUnsafeMutableBufferPointer { values in
            shifted.withUnsafeMutableBufferPointer { shifted in
                weights.withUnsafeMutableBufferPointer { weights in
                    for row in 0..<count {
                        let distances = UnsafeMutableBufferPointer(rebasing: values[(row * count)..<((row + 1) * count)])
                        calibrateRow(distances, row: row, target: target, shifted: shifted, weights: weights)
                    }
                }
            }
        }
        return values
    }

    /// Replaces the distances from point `row` by its conditional probabilities (see
    /// `conditionalProbabilities`); `shifted` and `weights` are scratch space of `count − 1`.
    private static func calibrateRow(
        _ distances: UnsafeMutableBufferPointer<Float>, row: Int, target: Double,
        shifted: UnsafeMutableBufferPointer<Double>, weights: UnsafeMutableBufferPointer<Double>
    ) {
        var nearest = Double.infinity
        var slot = 0
        for column in distances.indices where column != row {
            shifted[slot] = Double(distances[column])
            nearest = min(nearest, shifted[slot])
            slot += 1
        }
        var total = 0.0
        for slot in shifted.indices {
            shifted[slot] -= nearest
            total += shifted[slot]
        }

        // Entropy of the row at precision `beta`; fills `weights` with the unnormalised probabilities.
        func entropy(_ beta: Double) -> (entropy: Double, sum: Double) {
            var sum = 0.0
            var weighted = 0.0
            for slot in shifted.indices {
                let weight = exp(-beta * shifted[slot])
                weights[slot] = weight
                sum += weight
                weighted += shifted[slot] * weight
            }
            return (log(sum) + beta * weighted / sum, sum)
        }

        var beta = total > 0 ? Double(shifted.count) / total : 1
        var lower = 0.0
        var upper = Double.infinity
        var (value, sum) = entropy(beta)
        var tries = 0
        while abs(value - target) > 1e-5 && tries < 200 {
            tries += 1
            if value > target {
                lower = beta
                beta = upper.isInfinite ? beta * 2 : (beta + upper) / 2
            } else {
                upper = beta
                beta = (beta + lower) / 2
            }
            (value, sum) = entropy(beta)
        }

        slot = 0
        for column in distances.indices {
            if column == row {
                distances[column] = 0
            } else {
                distances[column] = Float(weights[slot] / sum)
                slot += 1
            }
        }
    }

    /// The symmetric joint probabilities `pᵢⱼ = (p_{j|i} + p_{i|j}) / 2n` of the `count × count`
    /// `conditional` ones, packed: the upper triangle without the diagonal, row by row
    /// (`[count · (count − 1) / 2]`, row `i` holding `pᵢⱼ` for `j` in `i + 1 ..< count`). They sum to ½.
    static func jointProbabilities(_ conditional: [Float], count: Int) -> [Float] {
        let scale = 1 / (2 * Float(count))
        return [Float](unsafeUninitializedCapacity: count * (count - 1) / 2) { packed, initialized in
            conditional.withUnsafeBufferPointer { conditional in
                var slot = 0
                for row in 0..<count {
                    for column in (row + 1)..<max(count, row + 1) {
                        packed.initializeElement(
                            at: slot, to: (conditional[row * count + column] + conditional[column * count + row]) * scale)
                        slot += 1
                    }
                }
                initialized = slot
            }
        }
    }
}
