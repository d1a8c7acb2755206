import Dispatch
import Foundation
import StanceKit

// Times each BLAS call the library makes against the plain Swift loop it
// replaces, on the sizes training meets (a 60,000-feature, 5-class model has
// 300,000 parameters; L-BFGS keeps 5 history pairs). Medians of many runs.

func median(_ runs: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
    }
    return times.sorted()[runs / 2]
}

var seed: UInt64 = 42
func nextRandom() -> Double {
    seed = seed &* 6364136223846793005 &+ 1442695040888963407
    return Double(seed >> 11) / Double(1 << 53) - 0.5
}

let m = 5, runs = 41
var sink = 0.0
var rows: [(String, Double, Double)] = []

/// Runs every kernel on vectors of length n: 20,000 stays in cache, 300,000
/// (a 60,000-feature, 5-class model) streams from memory.
func kernels(n: Int, label: String) {
    let x = (0..<n).map { _ in nextRandom() }
    var y = (0..<n).map { _ in nextRandom() }
    let s = (0..<(n * m)).map { _ in nextRandom() }

    rows.append(("ddot (n = \(label))",
                 median(runs) { sink += BLAS.dot(x, y) },
                 median(runs) { var a = 0.0; for i in 0..<n { a += x[i] * y[i] }; sink += a }))
    rows.append(("daxpy (n = \(label))",
                 median(runs) { BLAS.axpy(1e-9, x, &y) },
                 median(runs) { y.withUnsafeMutableBufferPointer { yp in for i in 0..<n { yp[i] += 1e-9 * x[i] } } }))
    rows.append(("dnrm2 (n = \(label))",
                 median(runs) { sink += BLAS.nrm2(x) },
                 median(runs) { var a = 0.0; for v in x { a += v * v }; sink += a.squareRoot() }))
    rows.append(("dscal (n = \(label))",
                 median(runs) { BLAS.scal(1.000001, &y) },
                 median(runs) { y.withUnsafeMutableBufferPointer { yp in for i in 0..<n { yp[i] *= 1.000001 } } }))
    rows.append(("dcopy (n = \(label))",
                 median(runs) { BLAS.copy(x, into: &y) },
                 median(runs) { y.withUnsafeMutableBufferPointer { yp in for i in 0..<n { yp[i] = x[i] } } }))
    var out = [Double](repeating: 0, count: m)
    rows.append(("dgemv Sᵀg (\(label) × 5)",
                 median(runs) {
                     s.withUnsafeBufferPointer { sp in x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { op in
                         BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, sp, xp, beta: 0, op)
                     } } }
                 },
                 median(runs) {
                     for j in 0..<m { var a = 0.0; for i in 0..<n { a += s[j * n + i] * x[i] }; out[j] = a }
                 }))
    let coef = (0..<m).map { _ in nextRandom() }
    rows.append(("dgemv S·p (\(label) × 5)",
                 median(runs) {
                     s.withUnsafeBufferPointer { sp in coef.withUnsafeBufferPointer { cp in y.withUnsafeMutableBufferPointer { yp in
                         BLAS.gemv(transpose: false, rows: n, cols: m, alpha: 1, sp, cp, beta: 0, yp)
                     } } }
                 },
                 median(runs) {
                     y.withUnsafeMutableBufferPointer { yp in
                         for i in 0..<n { yp[i] = 0 }
                         for j in 0..<m { let c = coef[j]; for i in 0..<n { yp[i] += c * s[j * n + i] } }
                     }
                 }))
    let k = 5
    var r = [Double](repeating: 0, count: k * k)
    for j in 0..<k { for i in 0...j { r[i + j * k] = i == j ? 2 + nextRandom() : nextRandom() } }
    let b0 = (0..<k).map { _ in nextRandom() }
    rows.append(("dtrtrs (5 × 5 triangular solve)",
                 median(runs) { var b = b0; try? BLAS.solveUpperTriangular(r, n: k, transpose: false, &b); sink += b[0] },
                 median(runs) {
                     var b = b0
                     for i in stride(from: k - 1, through: 0, by: -1) {
                         var a = b[i]
                         for j in (i + 1)..<k { a -= r[i + j * k] * b[j] }
                         b[i] = a / r[i + i * k]
                     }
                     sink += b[0]
                 }))

}

kernels(n: 20_000, label: "20,000")
kernels(n: 300_000, label: "300,000")

print("| operation | BLAS/LAPACK (µs) | plain Swift loop (µs) | loop ÷ BLAS |")
print("| --- | ---: | ---: | ---: |")
for (name, blas, loop) in rows {
    print("| \(name) | \(String(format: "%.1f", blas)) | \(String(format: "%.1f", loop)) | \(String(format: "%.2f", loop / blas))× |")
}
if sink.isNaN { print("") }
