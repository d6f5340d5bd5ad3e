import Datasets
import Foundation
import Training

/// A square single-precision product `C = A·B` of `size × size` matrices (OpenBLAS's `sgemm`), the
/// reference the training benchmarks divide by. The operands are drawn once, so the product can be timed
/// again and again between other measurements at no cost but its own.
final class SquareProduct {
    let size: Int
    private let left: [Float]
    private let right: [Float]
    private var result: [Float]

    init(size: Int) {
        precondition(size > 0, "a square product needs a positive size")
        self.size = size
        var generator = SeededGenerator(seed: 3)
        left = (0..<(size * size)).map { _ in generator.nextFloat(in: -1...1) }
        right = (0..<(size * size)).map { _ in generator.nextFloat(in: -1...1) }
        result = [Float](repeating: 0, count: size * size)
    }

    /// GFLOP/s of the fastest of `repetitions` products (`2·size³` FLOPs each).
    func bestGigaflopsPerSecond(repetitions: Int) -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let start = ContinuousClock.now
            left.withUnsafeBufferPointer { left in
                right.withUnsafeBufferPointer { right in
                    result.withUnsafeMutableBufferPointer { result in
                        BLAS.multiply(left, transposeA: false, right, transposeB: false, into: result, m: size, n: size, k: size)
                    }
                }
            }
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        return 2 * pow(Double(size), 3) / best / 1e9
    }
}
