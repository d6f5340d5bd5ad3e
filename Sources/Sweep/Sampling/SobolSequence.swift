// Unscrambled Sobol' points, the quasi-random sequence behind `SamplingMethod.sobol`.

/// Sobol' points in [0, 1)^d for 1 ≤ d ≤ 21, generated in Gray-code order with 32-bit direction
/// numbers from Joe & Kuo's `new-joe-kuo-6.21201` (see `SobolSequence+DirectionNumbers.swift`).
///
/// Like SciPy's `qmc.Sobol(scramble=False)`, the first point emitted is the origin (index 0), so the
/// values can be compared with SciPy's and with published tables. The sequence has 2^32 points;
/// asking for more is a programmer error.
public struct SobolSequence: Sendable, Hashable {
    /// The largest dimension the embedded direction-number table covers.
    public static let maximumDimension = 1 + directionNumberTable.count

    static let bitCount = 32

    public let dimension: Int
    /// `directions[k][j]` is the direction number V_{k+1} of dimension j, as a 32-bit binary fraction.
    private let directions: [[UInt32]]
    private var coordinates: [UInt32]
    /// The index of the point `next()` returns.
    private var index: UInt64 = 0

    public init(dimension: Int) {
        precondition(
            (1...Self.maximumDimension).contains(dimension),
            "Sobol' dimension \(dimension) is outside 1...\(Self.maximumDimension)"
        )
        self.dimension = dimension
        directions = Self.directionNumbers(dimension: dimension)
        coordinates = Array(repeating: 0, count: dimension)
    }

    /// The next point; the first call returns the origin.
    public mutating func next() -> [Double] {
        precondition(index < 1 << UInt64(Self.bitCount), "a 32-bit Sobol' sequence has only 2^32 points")
        let point = coordinates.map { Double($0) * 0x1p-32 }
        index += 1
        if index < 1 << UInt64(Self.bitCount) {
            // Gray code: point n differs from point n − 1 by the direction of n's lowest set bit.
            let row = directions[index.trailingZeroBitCount]
            for j in 0..<dimension { coordinates[j] ^= row[j] }
        }
        return point
    }

    /// Moves forward `count` points without generating them: the point of index n is the XOR of the
    /// directions at the set bits of n's Gray code, n ^ (n >> 1).
    public mutating func skip(_ count: Int) {
        precondition(count >= 0, "cannot skip a negative number of Sobol' points")
        index += UInt64(count)
        precondition(index <= 1 << UInt64(Self.bitCount), "a 32-bit Sobol' sequence has only 2^32 points")
        var gray = index ^ (index >> 1)
        coordinates = Array(repeating: 0, count: dimension)
        var bit = 0
        while gray != 0, bit < Self.bitCount {
            if gray & 1 == 1 {
                for j in 0..<dimension { coordinates[j] ^= directions[bit][j] }
            }
            gray >>= 1
            bit += 1
        }
    }

    /// Points `skip ..< skip + count` of the sequence (index 0 is the origin).
    public static func points(count: Int, dimension: Int, skip: Int = 0) -> [[Double]] {
        precondition(count >= 0, "cannot generate a negative number of Sobol' points")
        var sequence = SobolSequence(dimension: dimension)
        sequence.skip(skip)
        return (0..<count).map { _ in sequence.next() }
    }

    /// Expands the primitive polynomial and initial m_k of each dimension into 32 direction numbers
    /// V_k = m_k / 2^k, following Joe & Kuo's recurrence
    /// m_k = 2a_1 m_{k−1} ⊕ 4a_2 m_{k−2} ⊕ … ⊕ 2^{s−1}a_{s−1} m_{k−s+1} ⊕ 2^s m_{k−s} ⊕ m_{k−s}.
    private static func directionNumbers(dimension: Int) -> [[UInt32]] {
        var columns: [[UInt32]] = []
        // Dimension 1 is the van der Corput sequence in base 2: V_k = 2^−k.
        columns.append((1...bitCount).map { UInt32(1) << UInt32(bitCount - $0) })
        for entry in directionNumberTable.prefix(dimension - 1) {
            let degree = entry.degree
            var column = [UInt32](repeating: 0, count: bitCount)
            for k in 0..<min(degree, bitCount) {
                column[k] = entry.initial[k] << UInt32(bitCount - 1 - k)
            }
            if degree < bitCount {
                for k in degree..<bitCount {
                    var value = column[k - degree] ^ (column[k - degree] >> UInt32(degree))
                    for j in 1..<degree where (entry.coefficients >> UInt32(degree - 1 - j)) & 1 == 1 {
                        value ^= column[k - j]
                    }
                    column[k] = value
                }
            }
            columns.append(column)
        }
        return (0..<bitCount).map { k in columns.map { $0[k] } }
    }
}
