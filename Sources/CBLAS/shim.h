// OpenBLAS's CBLAS interface plus its thread and kernel controls.
#include <cblas.h>
#include <stddef.h>

// The LAPACK routines aesweep calls. OpenBLAS exports LAPACK's Fortran symbols but this machine has no
// lapacke.h, so each is declared here exactly as gfortran compiles it: every argument by pointer,
// matrices column-major, and one hidden trailing `size_t` length per character argument.

/// `ssyevd` (LAPACK): all eigenvalues, ascending, of the real symmetric `n × n` matrix `a` and, when
/// `jobz` is "V", its orthonormal eigenvectors, which overwrite the columns of `a` (divide and conquer).
/// `uplo` ("U" or "L") names the triangle of `a` that is read. A call with `lwork` = `liwork` = -1 only
/// writes the optimal workspace sizes to `work[0]` and `iwork[0]`. `info` = 0 on success, `-i` if
/// argument `i` was invalid, `> 0` if the algorithm failed to converge. `jobz_length` and
/// `uplo_length` are the Fortran lengths of `jobz` and `uplo`: 1.
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w,
             float *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_length, size_t uplo_length);
