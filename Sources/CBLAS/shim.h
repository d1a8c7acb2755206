#ifndef STANCE_CBLAS_SHIM_H
#define STANCE_CBLAS_SHIM_H
/* CBLAS from Debian's libblas-dev (the system BLAS: OpenBLAS when installed). */
#include <cblas.h>

/* LAPACK's Fortran interface (liblapack.so.3); only what the project calls. */
void dtrtrs_(const char *uplo, const char *trans, const char *diag,
             const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info);
#endif
