// Every call into OpenBLAS goes through this file.

import CBLAS

/// Single-precision matrix products on row-major matrices, through OpenBLAS's `cblas_sgemm` (the
/// training core's and the reports' one entry point to it).
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
