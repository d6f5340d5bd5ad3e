// Every call into OpenBLAS goes through this file.

import CBLAS

/// Single-precision linear algebra on row-major matrices through OpenBLAS — products (`cblas_sgemm`), the
/// symmetric rank-k update (`cblas_ssyrk`) and LAPACK's symmetric eigen-decomposition (`ssyevd_`): the one
/// entry point of the training core and of the reports' analyses.
public enum BLAS {
    /// `c = alpha · op(a) · op(b) + beta · c`, where `op(a)` is `m × k`, `op(b)` is `k × n` and `c` is `m × n`,
    /// all row-major; `transposeA`/`transposeB` say whether `a`/`b` are stored transposed. Calls `cblas_sgemm`.
    @inline(__always)
    public static func multiply(
        _ a: UnsafeBufferPointer<Float>, transposeA: Bool,
        _ b: UnsafeBufferPointer<Float>, transposeB: Bool,
        into c: UnsafeMutableBufferPointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
    ) {
        precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n, "matrix buffers too small")
        guard m > 0, n > 0 else { return }
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha,
            a.baseAddress, Int32(max(1, transposeA ? m : k)),
            b.baseAddress, Int32(max(1, transposeB ? k : n)),
            beta,
            c.baseAddress, Int32(n))
    }

    /// The upper triangle (row-major) of `c = alpha · aᵀ · a`, where `a` is `rowCount × columnCount`
    /// and `c` is `columnCount × columnCount`; the strict lower triangle of `c` is left as it was.
    /// Calls `cblas_ssyrk`.
    public static func transposeTimesSelf(
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
    public static func symmetricEigenDecomposition(
        _ matrix: UnsafeMutableBufferPointer<Float>, order: Int
    ) throws(LAPACKFailure) -> [Float] {
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
        guard info == 0 else { throw LAPACKFailure(routine: "ssyevd", info: Int(info)) }

        var workCount = Int32(workQuery.rounded(.up))
        var integerWorkCount = integerWorkQuery
        var work = [Float](repeating: 0, count: Int(workCount))
        var integerWork = [Int32](repeating: 0, count: Int(integerWorkCount))
        ssyevd_(
            "V", "L", &size, matrix.baseAddress, &leadingDimension, &eigenvalues,
            &work, &workCount, &integerWork, &integerWorkCount, &info, 1, 1)
        guard info == 0 else { throw LAPACKFailure(routine: "ssyevd", info: Int(info)) }
        return eigenvalues
    }

}

/// A LAPACK routine that returned a non-zero `info` (e.g. an eigen-decomposition that did not converge).
public struct LAPACKFailure: Error, Equatable, CustomStringConvertible {
    public let routine: String
    public let info: Int

    public init(routine: String, info: Int) {
        self.routine = routine
        self.info = info
    }

    public var description: String { "LAPACK's \(routine) failed (info \(info))" }
}

/// The process-wide settings of the BLAS library.
public enum BLASRuntime {
    /// The kernel family OpenBLAS chose for this CPU (or that `OPENBLAS_CORETYPE` forced), from
    /// `openblas_get_corename()`, e.g. `SkylakeX` or `Haswell`.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The number of threads OpenBLAS uses for one product (`openblas_get_num_threads()`).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of BLAS threads for the process (`openblas_set_num_threads`). One thread per
    /// training process gives bit-identical results and, on these layer sizes, the best throughput.
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "BLAS needs at least one thread")
        openblas_set_num_threads(Int32(count))
    }
}
