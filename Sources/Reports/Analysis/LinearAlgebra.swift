// The analyses' calls into OpenBLAS beyond general products (ssyrk, LAPACK's ssyevd) go through this file.

import CBLAS

/// The symmetric rank-k update and eigen-decomposition PCA needs, on row-major matrices (general
/// products go through Training's `BLAS.multiply`).
enum LinearAlgebra {
    /// The upper triangle (row-major) of `c = alpha · aᵀ · a`, where `a` is `rowCount × columnCount`
    /// and `c` is `columnCount × columnCount`; the strict lower triangle of `c` is left as it was.
    /// Calls `cblas_ssyrk`.
    static func transposeTimesSelf(
        _ a: UnsafeBufferPointer<Float>, rowCount: Int, columnCount: Int,
        alpha: Float, into c: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(a.count >= rowCount * columnCount && c.count >= columnCount * columnCount, "matrix buffers too small")
        cblas_ssyrk(
            CblasRowMajor, CblasUpper, CblasTrans,
            Int32(columnCount), Int32(rowCount),
            alpha, a.baseAddress, Int32(columnCount),
            0, c.baseAddress, Int32(columnCount))
    }

    /// The eigenvalues, ascending, of the symmetric `order × order` matrix whose upper triangle
    /// (row-major) is in `matrix`; on return row `i` of `matrix` is the unit eigenvector of eigenvalue
    /// `i`. Calls LAPACK's `ssyevd_` twice: once for the workspace sizes, once to decompose.
    static func symmetricEigenDecomposition(
        _ matrix: UnsafeMutableBufferPointer<Float>, order: Int
    ) throws(AnalysisError) -> [Float] {
        precondition(order > 0 && matrix.count >= order * order, "matrix buffer too small")
        // Row-major upper is column-major lower, and column-major eigenvector columns are row-major rows.
        var size = Int32(order)
        var leadingDimension = Int32(order)
        var info: Int32 = 0
        var eigenvalues = [Float](repeating: 0, count: order)

        var workQuery: Float = 0
        var integerWorkQuery: Int32 = 0
        var workCountQuery: Int32 = -1
        var integerWorkCountQuery: Int32 = -1
        ssyevd_(
            "V", "L", &size, matrix.baseAddress, &leadingDimension, &eigenvalues,
            &workQuery, &workCountQuery, &integerWorkQuery, &integerWorkCountQuery, &info, 1, 1)
        guard info == 0 else { throw .lapackFailure(routine: "ssyevd", info: Int(info)) }

        var workCount = Int32(workQuery.rounded(.up))
        var integerWorkCount = integerWorkQuery
        var work = [Float](repeating: 0, count: Int(workCount))
        var integerWork = [Int32](repeating: 0, count: Int(integerWorkCount))
        ssyevd_(
            "V", "L", &size, matrix.baseAddress, &leadingDimension, &eigenvalues,
            &work, &workCount, &integerWork, &integerWorkCount, &info, 1, 1)
        guard info == 0 else { throw .lapackFailure(routine: "ssyevd", info: Int(info)) }
        return eigenvalues
    }
}
