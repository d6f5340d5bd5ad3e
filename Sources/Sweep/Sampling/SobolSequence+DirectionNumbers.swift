// The direction-number table of `SobolSequence`.

extension SobolSequence {
    /// Dimensions 2…21 of S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
    /// two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635–2654, file
    /// `new-joe-kuo-6.21201` (https://web.maths.unsw.edu.au/~fkuo/sobol/), columns s, a, m_i:
    /// the degree of the primitive polynomial, its inner coefficients a_1…a_{s−1} as the bits of an
    /// integer (a_1 most significant), and the initial odd m_k < 2^k. Dimension 1 (van der Corput) has no row.
    /// Adding rows from the same file extends `maximumDimension`.
    static let directionNumberTable: [(degree: Int, coefficients: UInt32, initial: [UInt32])] = [
        (degree: 1, coefficients: 0, initial: [1]),  // d = 2
        (degree: 2, coefficients: 1, initial: [1, 3]),  // d = 3
        (degree: 3, coefficients: 1, initial: [1, 3, 1]),  // d = 4
        (degree: 3, coefficients: 2, initial: [1, 1, 1]),  // d = 5
        (degree: 4, coefficients: 1, initial: [1, 1, 3, 3]),  // d = 6
        (degree: 4, coefficients: 4, initial: [1, 3, 5, 13]),  // d = 7
        (degree: 5, coefficients: 2, initial: [1, 1, 5, 5, 17]),  // d = 8
        (degree: 5, coefficients: 4, initial: [1, 1, 5, 5, 5]),  // d = 9
        (degree: 5, coefficients: 7, initial: [1, 1, 7, 11, 19]),  // d = 10
        (degree: 5, coefficients: 11, initial: [1, 1, 5, 1, 1]),  // d = 11
        (degree: 5, coefficients: 13, initial: [1, 1, 1, 3, 11]),  // d = 12
        (degree: 5, coefficients: 14, initial: [1, 3, 5, 5, 31]),  // d = 13
        (degree: 6, coefficients: 1, initial: [1, 3, 3, 9, 7, 49]),  // d = 14
        (degree: 6, coefficients: 13, initial: [1, 1, 1, 15, 21, 21]),  // d = 15
        (degree: 6, coefficients: 16, initial: [1, 3, 1, 13, 27, 49]),  // d = 16
        (degree: 6, coefficients: 19, initial: [1, 1, 1, 15, 7, 5]),  // d = 17
        (degree: 6, coefficients: 22, initial: [1, 3, 1, 15, 13, 25]),  // d = 18
        (degree: 6, coefficients: 25, initial: [1, 1, 5, 5, 19, 61]),  // d = 19
        (degree: 7, coefficients: 1, initial: [1, 3, 7, 11, 23, 15, 103]),  // d = 20
        (degree: 7, coefficients: 4, initial: [1, 3, 7, 13, 13, 15, 69]),  // d = 21
    ]
}
