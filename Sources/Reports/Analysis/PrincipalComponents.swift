import Training

/// Principal component analysis of row vectors: the mean, the eigen-decomposition of the covariance,
/// and the leading components.
///
/// Fitting computes the covariance `C = Xcᵀ·Xc / (count − 1)` of the centred rows `Xc` with BLAS
/// (`cblas_ssyrk`) and decomposes it with LAPACK (`ssyevd_`), so 10,000 rows of 784 values take well
/// under a second. Each component's sign is fixed so that its largest-magnitude entry is positive,
/// which makes the result reproducible across BLAS kernels that would flip it.
public struct PrincipalComponents: Sendable {
    /// The number of values in a row.
    public let dimension: Int
    /// The number of components kept.
    public let componentCount: Int
    /// The mean row, `[dimension]`.
    public let mean: [Float]
    /// The kept components, `[componentCount × dimension]` row-major: orthonormal rows, in order of
    /// decreasing variance.
    public let components: [Float]
    /// Every eigenvalue of the covariance, `[dimension]`, descending: the variance of the data along
    /// each principal axis (divisor `count − 1`). Rounding can leave the smallest a little below zero.
    public let eigenvalues: [Float]
    /// `max(λᵢ, 0) / Σⱼ max(λⱼ, 0)` for every eigenvalue `λᵢ`, `[dimension]`, descending; sums to 1.
    public let explainedVarianceRatios: [Float]

    /// Fits the components of `data`, `[count × dimension]` row-major, keeping the first
    /// `min(componentCount, dimension)`.
    ///
    /// Throws `.shapeMismatch` if `data` is not whole rows, `.tooFewRows` for fewer than two rows,
    /// `.invalidParameter` if `componentCount < 1`, `.nonFiniteValue` for a NaN or infinity,
    /// `.zeroVariance` if every row is the same, and `.lapackFailure` if `ssyevd_` fails.
    public init(fitting data: [Float], dimension: Int, componentCount: Int = 30) throws(AnalysisError) {
        let what = "PCA data"
        guard dimension > 0, data.count % dimension == 0 else {
            throw .shapeMismatch(what: what, valueCount: data.count, dimension: dimension)
        }
        let count = data.count / dimension
        guard count >= 2 else { throw .tooFewRows(what: what, count: count, needed: 2) }
        guard componentCount >= 1 else {
            throw .invalidParameter(name: "componentCount", value: componentCount, allowed: 1...Int(Int32.max))
        }
        if let bad = data.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(what: what, row: bad / dimension, column: bad % dimension)
        }

        var columnSums = [Double](repeating: 0, count: dimension)
        for row in 0..<count {
            for column in 0..<dimension { columnSums[column] += Double(data[row * dimension + column]) }
        }
        let mean = columnSums.map { Float($0 / Double(count)) }

        var covariance = [Float](repeating: 0, count: dimension * dimension)
        let centred = Self.centre(data, mean: mean)
        centred.withUnsafeBufferPointer { rows in
            covariance.withUnsafeMutableBufferPointer { product in
                BLAS.transposeTimesSelf(
                    rows, rowCount: count, columnCount: dimension, alpha: 1 / Float(count - 1), into: product)
            }
        }
        var trace = 0.0
        for index in 0..<dimension { trace += Double(covariance[index * dimension + index]) }
        guard trace > 0 else { throw .zeroVariance(what: what, count: count) }

        let ascending = try covariance.withUnsafeMutableBufferPointer { matrix throws(AnalysisError) in
            do throws(LAPACKFailure) {
                return try BLAS.symmetricEigenDecomposition(matrix, order: dimension)
            } catch {
                throw .lapackFailure(routine: error.routine, info: error.info)
            }
        }
        let kept = min(componentCount, dimension)
        var components = [Float](repeating: 0, count: kept * dimension)
        for component in 0..<kept {
            let source = (dimension - 1 - component) * dimension
            let vector = covariance[source..<(source + dimension)]
            let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) } ?? source
            let sign: Float = vector[largest] < 0 ? -1 : 1
            for column in 0..<dimension { components[component * dimension + column] = sign * vector[source + column] }
        }

        let eigenvalues = Array(ascending.reversed())
        let total = eigenvalues.reduce(0.0) { $0 + Double(max($1, 0)) }
        guard total > 0 else { throw .zeroVariance(what: what, count: count) }

        self.dimension = dimension
        self.componentCount = kept
        self.mean = mean
        self.components = components
        self.eigenvalues = eigenvalues
        self.explainedVarianceRatios = eigenvalues.map { Float(Double(max($0, 0)) / total) }
    }

    /// The running sums of `explainedVarianceRatios`, `[dimension]`: entry `i` is the share of the
    /// variance that the first `i + 1` components explain.
    public var cumulativeExplainedVarianceRatios: [Float] {
        var running = 0.0
        return explainedVarianceRatios.map { ratio in
            running += Double(ratio)
            return Float(running)
        }
    }

    /// `rows − mean` for each row of `rows`, `[count × dimension]`.
    static func centre(_ rows: [Float], mean: [Float]) -> [Float] {
        let dimension = mean.count
        var centred = rows
        centred.withUnsafeMutableBufferPointer { values in
            mean.withUnsafeBufferPointer { mean in
                for start in stride(from: 0, to: values.count, by: dimension) {
                    for column in 0..<dimension { values[start + column] -= mean[column] }
                }
            }
        }
        return centred
    }
}
