import CBLAS

/// The one door to the system BLAS and LAPACK.
///
/// Every function takes Swift arrays or buffers, checks shapes with
/// `precondition` (a wrong shape is a programmer error), returns early on empty
/// input (an empty buffer's base address may be nil) and converts sizes with
/// `Int32(exactly:)`. LAPACK's `info` becomes a thrown error.
public enum BLAS {
    @inline(__always)
    static func int32(_ n: Int) -> Int32 {
        guard let v = Int32(exactly: n) else { preconditionFailure("BLAS size \(n) exceeds Int32") }
        return v
    }

    /// x · y
    public static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count) differ")
        guard let px = x.baseAddress, let py = y.baseAddress, x.count > 0 else { return 0 }
        return cblas_ddot(int32(x.count), px, 1, py, 1)
    }

    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in dot(px, py) } }
    }

    /// y ← a·x + y
    public static func axpy(_ a: Double, _ x: UnsafeBufferPointer<Double>, _ y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == y.count, "axpy: lengths \(x.count) and \(y.count) differ")
        guard let px = x.baseAddress, let py = y.baseAddress, x.count > 0 else { return }
        cblas_daxpy(int32(x.count), a, px, 1, py, 1)
    }

    public static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in axpy(a, px, py) } }
    }

    /// ‖x‖₂
    public static func nrm2(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return 0 }
        return x.withUnsafeBufferPointer { cblas_dnrm2(int32($0.count), $0.baseAddress!, 1) }
    }

    /// y ← α·Aᵀx + β·y for a column-major `rows`×`cols` matrix A (`transpose`),
    /// or y ← α·A·x + β·y otherwise.
    public static func gemv(transpose: Bool, rows: Int, cols: Int, alpha: Double,
                            _ a: UnsafeBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>,
                            beta: Double, _ y: UnsafeMutableBufferPointer<Double>) {
        precondition(a.count >= rows * cols, "gemv: matrix has \(a.count) values, needs \(rows * cols)")
        precondition(x.count == (transpose ? rows : cols) && y.count == (transpose ? cols : rows), "gemv: vector lengths")
        guard rows > 0, cols > 0, let pa = a.baseAddress, let px = x.baseAddress, let py = y.baseAddress else { return }
        cblas_dgemv(CblasColMajor, transpose ? CblasTrans : CblasNoTrans, int32(rows), int32(cols),
                    alpha, pa, int32(rows), px, 1, beta, py, 1)
    }

    public struct LAPACKError: Error, CustomStringConvertible {
        public let routine: String
        public let info: Int32
        public var description: String { "LAPACK \(routine) failed with info = \(info)" }
    }

    /// Solves op(R)·X = B in place for an upper-triangular column-major `n`×`n` R
    /// (LAPACK dtrtrs); `transpose` selects Rᵀ. Throws when R is singular.
    public static func solveUpperTriangular(_ r: [Double], n: Int, transpose: Bool, _ b: inout [Double]) throws {
        precondition(r.count == n * n && b.count % max(n, 1) == 0, "trtrs: shapes")
        guard n > 0, !b.isEmpty else { return }
        var info: Int32 = 0
        var nn = int32(n), nrhs = int32(b.count / n), lda = int32(n), ldb = int32(n)
        var uplo = Int8(UInt8(ascii: "U")), trans = Int8(UInt8(ascii: transpose ? "T" : "N")), diag = Int8(UInt8(ascii: "N"))
        r.withUnsafeBufferPointer { pr in
            b.withUnsafeMutableBufferPointer { pb in
                dtrtrs_(&uplo, &trans, &diag, &nn, &nrhs, pr.baseAddress!, &lda, pb.baseAddress!, &ldb, &info)
            }
        }
        if info != 0 { throw LAPACKError(routine: "dtrtrs", info: info) }
    }
}
