// Unscrambled Halton points, the quasi-random sequence behind `SamplingMethod.halton`.

/// Halton points in [0, 1)^d: coordinate j of point n is the radical inverse of n in the (j+1)-th prime.
///
/// Like SciPy's `qmc.Halton(scramble=False)`, the first point emitted is the origin (index 0).
/// Unscrambled Halton points in high dimensions correlate badly (bases 29 and 31 march in step for
/// the first few hundred points); prefer Sobol' up to its 21 dimensions.
public struct HaltonSequence: Sendable, Hashable {
    public let dimension: Int
    /// The first `dimension` primes.
    public let bases: [Int]
    /// The index of the point `next()` returns.
    private var index: Int = 0

    public init(dimension: Int, skip: Int = 0) {
        precondition(dimension >= 1, "Halton dimension must be at least 1, not \(dimension)")
        precondition(skip >= 0, "cannot skip a negative number of Halton points")
        self.dimension = dimension
        bases = Self.primes(count: dimension)
        index = skip
    }

    /// The next point; without a skip, the first call returns the origin.
    public mutating func next() -> [Double] {
        let point = bases.map { Self.radicalInverse(index, base: $0) }
        index += 1
        return point
    }

    /// Points `skip ..< skip + count` of the sequence (index 0 is the origin).
    public static func points(count: Int, dimension: Int, skip: Int = 0) -> [[Double]] {
        precondition(count >= 0, "cannot generate a negative number of Halton points")
        var sequence = HaltonSequence(dimension: dimension, skip: skip)
        return (0..<count).map { _ in sequence.next() }
    }

    /// The digits of `index` in `base`, mirrored about the radix point: 0.d_0 d_1 d_2 …
    /// Built as one integer fraction and divided once, so 1/3, 1/9, 4/9 come out correctly rounded.
    static func radicalInverse(_ index: Int, base: Int) -> Double {
        precondition(index >= 0 && index < 1 << 32, "Halton index \(index) is outside 0..<2^32")
        var remaining = index
        var reversed = 0
        var denominator = 1
        while remaining > 0 {
            reversed = reversed * base + remaining % base
            denominator *= base
            remaining /= base
        }
        return Double(reversed) / Double(denominator)
    }

    static func primes(count: Int) -> [Int] {
        var primes: [Int] = []
        var candidate = 2
        while primes.count < count {
            if primes.allSatisfy({ $0 * $0 > candidate || candidate % $0 != 0 }) { primes.append(candidate) }
            candidate += 1
        }
        return primes
    }
}
