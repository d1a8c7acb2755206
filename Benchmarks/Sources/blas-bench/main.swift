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

/// Times every BLAS/LAPACK use of the library on vectors of length n: 20,000 stays in cache, 300,000
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
    // One L-BFGS direction H·g with m = 5 pairs: the compact form the library
    // uses (dgemv for Sᵀg, Yᵀg, S·p, Y·q and the new row and column of SᵀY and
    // YᵀY; dtrtrs for the two 5 × 5 triangular solves) against the classic
    // two-loop recursion written as plain Swift loops.
    let ys = (0..<(n * m)).map { _ in nextRandom() }
    var sty = [Double](repeating: 0, count: m * m), yty = sty
    for a in 0..<m { for b in 0..<m {
        var u = 0.0, v = 0.0
        for i in 0..<n { u += s[a * n + i] * ys[b * n + i]; v += ys[a * n + i] * ys[b * n + i] }
        sty[a + b * m] = u; yty[a + b * m] = v
    } }
    for a in 0..<m { sty[a + a * m] = abs(sty[a + a * m]) + 1 }
    let gamma = 0.7
    var direction = [Double](repeating: 0, count: n)
    var col = [Double](repeating: 0, count: m), stg = col, ytg = col
    rows.append(("L-BFGS direction (\(label) × 5 pairs)",
                 median(runs) {
                     s.withUnsafeBufferPointer { sp in ys.withUnsafeBufferPointer { yp in
                         let newest = UnsafeBufferPointer(rebasing: yp[((m - 1) * n)..<(m * n)])
                         col.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, sp, newest, beta: 0, $0) }
                         col.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, yp, newest, beta: 0, $0) }
                         col.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, yp, UnsafeBufferPointer(rebasing: sp[((m - 1) * n)..<(m * n)]), beta: 0, $0) }
                         x.withUnsafeBufferPointer { gp in
                             stg.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, sp, gp, beta: 0, $0) }
                             ytg.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, yp, gp, beta: 0, $0) }
                         }
                         var r = [Double](repeating: 0, count: m * m)
                         for b in 0..<m { for a in 0...b { r[a + b * m] = sty[a + b * m] } }
                         var t = stg
                         try? BLAS.solveUpperTriangular(r, n: m, transpose: false, &t)
                         var u = (0..<m).map { a in sty[a + a * m] * t[a] - gamma * ytg[a] + (0..<m).reduce(0) { $0 + gamma * yty[a + $1 * m] * t[$1] } }
                         try? BLAS.solveUpperTriangular(r, n: m, transpose: true, &u)
                         let q = t.map { -gamma * $0 }
                         direction.withUnsafeMutableBufferPointer { dp in
                             x.withUnsafeBufferPointer { gp in for i in 0..<n { dp[i] = gamma * gp[i] } }
                             u.withUnsafeBufferPointer { BLAS.gemv(transpose: false, rows: n, cols: m, alpha: 1, sp, $0, beta: 1, dp) }
                             q.withUnsafeBufferPointer { BLAS.gemv(transpose: false, rows: n, cols: m, alpha: 1, yp, $0, beta: 1, dp) }
                         }
                     } }
                 },
                 median(runs) {
                     direction.withUnsafeMutableBufferPointer { q in
                         for i in 0..<n { q[i] = x[i] }
                         var alpha = [Double](repeating: 0, count: m), rho = alpha
                         for a in stride(from: m - 1, through: 0, by: -1) {
                             var sy = 0.0, sq = 0.0
                             for i in 0..<n { sy += s[a * n + i] * ys[a * n + i]; sq += s[a * n + i] * q[i] }
                             rho[a] = 1 / sy
                             alpha[a] = rho[a] * sq
                             for i in 0..<n { q[i] -= alpha[a] * ys[a * n + i] }
                         }
                         for i in 0..<n { q[i] *= gamma }
                         for a in 0..<m {
                             var yr = 0.0
                             for i in 0..<n { yr += ys[a * n + i] * q[i] }
                             let beta = rho[a] * yr
                             for i in 0..<n { q[i] += s[a * n + i] * (alpha[a] - beta) }
                         }
                     }
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
