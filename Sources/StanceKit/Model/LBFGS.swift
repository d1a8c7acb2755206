/// Limited-memory BFGS in the compact form of Byrd, Nocedal and Schnabel
/// (1994), with a backtracking Armijo line search.
///
/// With the last m pairs sₖ = xₖ₊₁ − xₖ and yₖ = ∇fₖ₊₁ − ∇fₖ as the columns of
/// S and Y (oldest first), γ = sᵀy / yᵀy of the newest pair, D = diag(sᵢᵀyᵢ)
/// and R the upper triangle of SᵀY, the inverse-Hessian product is
///
///     H·g = γ·g + S·p + γ·Y·q,   q = −R⁻¹·(Sᵀg),
///                                p = R⁻ᵀ·((D + γ·YᵀY)·R⁻¹·(Sᵀg) − γ·Yᵀg)
///
/// so each step is a few matrix-vector products with the n×m blocks S and Y
/// (BLAS dgemv: Sᵀg, Yᵀg, S·p + Y·q, and the new row and column of SᵀY and
/// YᵀY, kept up to date pair by pair) and two m×m triangular solves (LAPACK
/// dtrtrs), instead of 4m separate dot and axpy passes.
public struct LBFGS {
    public var memory = 5
    public var maxIterations = 500
    /// Stop when max |∇f| falls below this ...
    public var gradientTolerance = 1e-4
    /// ... or when f decreases by less than this fraction in one step.
    public var relativeDecrease = 1e-9

    public init() {}

    public struct Result {
        public var x: [Double]
        public var value: Double
        public var iterations: Int
        public var converged: Bool
    }

    /// Minimises f. `f(x, &gradient)` returns f(x) and writes ∇f(x).
    public func minimize(start: [Double], _ f: ([Double], inout [Double]) -> Double) -> Result {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var fx = f(x, &g)
        let m = max(1, memory)
        var sMat = [Double](repeating: 0, count: n * m)   // column-major n×m, ring order
        var yMat = [Double](repeating: 0, count: n * m)
        var order: [Int] = []                              // ring slots, oldest first
        var next = 0
        var gamma = 1.0
        var iterations = 0
        var converged = false
        var xNew = x
        var gNew = g
        var direction = [Double](repeating: 0, count: n)
        var sty = [Double](repeating: 0, count: m * m)   // (SᵀY)[i, j] over ring slots, column-major
        var yty = [Double](repeating: 0, count: m * m)

        while iterations < maxIterations {
            if maxAbs(g) <= gradientTolerance { converged = true; break }
            iterations += 1
            if order.isEmpty || !inverseHessianTimes(g, s: sMat, y: yMat, sty: sty, yty: yty, n: n, m: m, order: order, gamma: gamma, into: &direction) {
                LBFGS.scaled(g, by: order.isEmpty ? 1 / max(BLAS.nrm2(g), 1e-12) : gamma, into: &direction)
            }
            // direction is H·g; we step along −direction.
            var slope = -BLAS.dot(g, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                order.removeAll()
                LBFGS.scaled(g, by: 1 / max(BLAS.nrm2(g), 1e-12), into: &direction)
                slope = -BLAS.dot(g, direction)
            }
            var step = 1.0
            var fNew = fx
            var accepted = false
            for _ in 0..<40 {
                LBFGS.scaled(x, by: 1, into: &xNew)
                BLAS.axpy(-step, direction, &xNew)
                fNew = f(xNew, &gNew)
                if fNew.isFinite, fNew <= fx + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { converged = true; break }  // no progress possible at this precision
            // s = xNew − x, y = gNew − g, stored in the next ring slot.
            let slot = next
            sMat.withUnsafeMutableBufferPointer { sp in
                yMat.withUnsafeMutableBufferPointer { yp in
                    for i in 0..<n {
                        sp[slot * n + i] = xNew[i] - x[i]
                        yp[slot * n + i] = gNew[i] - g[i]
                    }
                }
            }
            let (sy, yy) = sMat.withUnsafeBufferPointer { sp in
                yMat.withUnsafeBufferPointer { yp -> (Double, Double) in
                    let s = UnsafeBufferPointer(rebasing: sp[(slot * n)..<(slot * n + n)])
                    let y = UnsafeBufferPointer(rebasing: yp[(slot * n)..<(slot * n + n)])
                    return (BLAS.dot(s, y), BLAS.dot(y, y))
                }
            }
            if sy > 1e-10 * yy, yy > 0 {
                order.removeAll { $0 == slot }
                order.append(slot)
                if order.count > m { order.removeFirst() }
                next = (slot + 1) % m
                gamma = sy / yy
                updateProducts(slot: slot, s: sMat, y: yMat, n: n, m: m, sty: &sty, yty: &yty)
            }
            let decrease = (fx - fNew) / max(abs(fx), abs(fNew), 1)
            swap(&x, &xNew)
            swap(&g, &gNew)
            fx = fNew
            if decrease <= relativeDecrease { converged = true; break }
        }
        return Result(x: x, value: fx, iterations: iterations, converged: converged)
    }

    /// out ← a·v in out's storage. A plain loop: streaming a vector once is
    /// memory-bound, and BLAS dscal/dcopy measured no faster (scripts/bench-blas).
    static func scaled(_ v: [Double], by a: Double, into out: inout [Double]) {
        v.withUnsafeBufferPointer { vp in out.withUnsafeMutableBufferPointer { op in for i in vp.indices { op[i] = a * vp[i] } } }
    }

    private func maxAbs(_ v: [Double]) -> Double {
        var m = 0.0
        for x in v { m = max(m, abs(x)) }
        return m
    }

    /// Fills row and column `slot` of SᵀY and YᵀY after a new pair was stored there.
    func updateProducts(slot: Int, s: [Double], y: [Double], n: Int, m: Int, sty: inout [Double], yty: inout [Double]) {
        var column = [Double](repeating: 0, count: m)
        var row = [Double](repeating: 0, count: m)
        var yCol = [Double](repeating: 0, count: m)
        s.withUnsafeBufferPointer { sp in
            y.withUnsafeBufferPointer { yp in
                let sNew = UnsafeBufferPointer(rebasing: sp[(slot * n)..<(slot * n + n)])
                let yNew = UnsafeBufferPointer(rebasing: yp[(slot * n)..<(slot * n + n)])
                column.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, sp, yNew, beta: 0, $0) }
                row.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, yp, sNew, beta: 0, $0) }
                yCol.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, yp, yNew, beta: 0, $0) }
            }
        }
        for i in 0..<m {
            sty[i + slot * m] = column[i]   // sᵢᵀ y_new
            sty[slot + i * m] = row[i]      // s_newᵀ yᵢ
            yty[i + slot * m] = yCol[i]
            yty[slot + i * m] = yCol[i]
        }
    }

    /// out ← H·g by the compact formula. Returns false when R is singular.
    func inverseHessianTimes(_ g: [Double], s: [Double], y: [Double], sty: [Double], yty: [Double], n: Int, m: Int,
                             order: [Int], gamma: Double, into out: inout [Double]) -> Bool {
        let k = order.count
        // Sᵀg and Yᵀg over all m ring slots (slots not in `order` are ignored below).
        var stg = [Double](repeating: 0, count: m)
        var ytg = [Double](repeating: 0, count: m)
        s.withUnsafeBufferPointer { sp in
            y.withUnsafeBufferPointer { yp in
                g.withUnsafeBufferPointer { gp in
                    stg.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, sp, gp, beta: 0, $0) }
                    ytg.withUnsafeMutableBufferPointer { BLAS.gemv(transpose: true, rows: n, cols: m, alpha: 1, yp, gp, beta: 0, $0) }
                }
            }
        }
        // Reorder into chronological k×k blocks.
        var r = [Double](repeating: 0, count: k * k)
        var d = [Double](repeating: 0, count: k)
        var a = [Double](repeating: 0, count: k)
        var b = [Double](repeating: 0, count: k)
        for (jj, j) in order.enumerated() {
            a[jj] = stg[j]
            b[jj] = ytg[j]
            d[jj] = sty[j + j * m]
            for (ii, i) in order.enumerated() where ii <= jj { r[ii + jj * k] = sty[i + j * m] }
        }
        // t = R⁻¹·a
        var t = a
        do { try BLAS.solveUpperTriangular(r, n: k, transpose: false, &t) } catch { return false }
        // u = (D + γ·YᵀY)·t − γ·b
        var u = [Double](repeating: 0, count: k)
        for (ii, i) in order.enumerated() {
            var sum = d[ii] * t[ii] - gamma * b[ii]
            for (jj, j) in order.enumerated() { sum += gamma * yty[i + j * m] * t[jj] }
            u[ii] = sum
        }
        // p = R⁻ᵀ·u, q = −t
        do { try BLAS.solveUpperTriangular(r, n: k, transpose: true, &u) } catch { return false }
        var pFull = [Double](repeating: 0, count: m)
        var qFull = [Double](repeating: 0, count: m)
        for (ii, i) in order.enumerated() {
            pFull[i] = u[ii]
            qFull[i] = -gamma * t[ii]
        }
        LBFGS.scaled(g, by: gamma, into: &out)
        s.withUnsafeBufferPointer { sp in
            y.withUnsafeBufferPointer { yp in
                out.withUnsafeMutableBufferPointer { op in
                    pFull.withUnsafeBufferPointer { BLAS.gemv(transpose: false, rows: n, cols: m, alpha: 1, sp, $0, beta: 1, op) }
                    qFull.withUnsafeBufferPointer { BLAS.gemv(transpose: false, rows: n, cols: m, alpha: 1, yp, $0, beta: 1, op) }
                }
            }
        }
        return true
    }
}
