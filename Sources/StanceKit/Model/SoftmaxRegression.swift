import Dispatch
import Foundation

/// How much each class counts in the loss.
public enum ClassWeighting: String, Sendable, CaseIterable {
    /// Every sentence counts once.
    case none
    /// Class c's sentences weigh N / (K · N_c), so rare classes count as much as common ones.
    case balanced
}

/// Multinomial logistic regression (softmax) with an L2 penalty, trained by L-BFGS.
///
/// For sentences xᵢ (rows of X) with labels yᵢ ∈ {0…K−1} and weights sᵢ, the
/// parameters W (features × K) and b (K) minimise
///
///     L(W, b) = (1/N) Σᵢ sᵢ · −ln pᵢ,yᵢ  +  ‖W‖² / (2·C·N)
///     pᵢ,c    = exp(zᵢ,c) / Σₖ exp(zᵢ,ₖ),   zᵢ = xᵢ·W + b
///
/// whose gradient is
///
///     ∂L/∂W = Xᵀ·G + W / (C·N),   ∂L/∂b = Σᵢ Gᵢ,   Gᵢ,c = sᵢ · (pᵢ,c − [c = yᵢ]) / N
///
/// (the same minimiser as scikit-learn's ½‖W‖² + C·Σ loss). The bias is not
/// penalised. The rows are summed in fixed chunks in a fixed order, so the
/// result does not depend on how many threads ran.
public struct SoftmaxRegression: Sendable {
    /// Inverse regularisation strength: larger C fits the training data more closely.
    public var c: Double = 10
    public var classWeighting: ClassWeighting = .none
    public var maxIterations = 500
    public var tolerance = 1e-4

    public init() {}

    public struct Fit: Sendable {
        public var weights: [Double]     // features × K, row-major
        public var bias: [Double]
        public var iterations: Int
        public var converged: Bool
        public var loss: Double
    }

    /// Per-sentence weights sᵢ for `labels` under `classWeighting`.
    public func sampleWeights(labels: [Int32], classCount k: Int) -> [Double] {
        switch classWeighting {
        case .none: return [Double](repeating: 1, count: labels.count)
        case .balanced:
            var counts = [Int](repeating: 0, count: k)
            for y in labels { counts[Int(y)] += 1 }
            let n = Double(labels.count)
            return labels.map { n / (Double(k) * Double(max(counts[Int($0)], 1))) }
        }
    }

    /// Fits W and b. `warmStart` (a previous fit's θ = [W, b], e.g. for a
    /// neighbouring C) only changes where the solver starts, not the optimum.
    public func fit(_ x: SparseMatrix, labels: [Int32], classCount k: Int, warmStart: [Double]? = nil,
                    transposed: SparseMatrix? = nil) -> Fit {
        precondition(x.rowCount == labels.count, "fit: \(x.rowCount) rows but \(labels.count) labels")
        precondition(labels.allSatisfy { $0 >= 0 && Int($0) < k }, "fit: label out of range")
        let objective = Objective(x: x, labels: labels, k: k, c: c, sampleWeights: sampleWeights(labels: labels, classCount: k),
                                  transposed: transposed)
        var solver = LBFGS()
        solver.maxIterations = maxIterations
        solver.gradientTolerance = tolerance
        var start = [Double](repeating: 0, count: x.columnCount * k + k)
        if let warmStart, warmStart.count == start.count { start = warmStart }
        let r = solver.minimize(start: start) { theta, grad in objective.evaluate(theta, gradient: &grad) }
        let split = x.columnCount * k
        return Fit(weights: Array(r.x[..<split]), bias: Array(r.x[split...]), iterations: r.iterations,
                   converged: r.converged, loss: r.value)
    }

    /// The loss and its gradient; θ = [W row-major, b].
    ///
    /// Rows are scored in parallel chunks (each row's Gᵢ depends on that row
    /// only), then Xᵀ·G is formed in parallel over feature blocks from the
    /// transposed matrix, each gradient entry summed in row order. No
    /// per-thread gradient copies, and the same bits on any number of threads.
    public struct Objective: Sendable {
        public let x: SparseMatrix
        let xt: SparseMatrix
        public let labels: [Int32]
        public let k: Int
        public let c: Double
        public let sampleWeights: [Double]
        static let chunkCount = 16

        public init(x: SparseMatrix, labels: [Int32], k: Int, c: Double, sampleWeights: [Double], transposed: SparseMatrix? = nil) {
            self.x = x
            self.xt = transposed ?? x.transposed()
            self.labels = labels
            self.k = k
            self.c = c
            self.sampleWeights = sampleWeights
        }

        public func evaluate(_ theta: [Double], gradient: inout [Double]) -> Double {
            let n = x.rowCount
            let f = x.columnCount
            let wCount = f * k
            precondition(theta.count == wCount + k && gradient.count == wCount + k)
            let chunks = Objective.chunkCount
            var d = [Double](repeating: 0, count: n * k)
            var losses = [Double](repeating: 0, count: chunks)
            theta.withUnsafeBufferPointer { tp in
                let w = UnsafeBufferPointer(rebasing: tp[0..<wCount])
                let b = UnsafeBufferPointer(rebasing: tp[wCount...])
                d.withUnsafeMutableBufferPointer { dp in
                    losses.withUnsafeMutableBufferPointer { lp in
                        let dBase = dp.baseAddress!, lBase = lp.baseAddress!
                        DispatchQueue.concurrentPerform(iterations: chunks) { ch in
                            let range = (ch * n / chunks)..<((ch + 1) * n / chunks)
                            let out = UnsafeMutableBufferPointer(start: dBase, count: n * k)
                            x.multiply(w, bias: b, k: k, rows: range, into: out)
                            var loss = 0.0
                            for i in range {
                                let o = i * k
                                var mx = -Double.infinity
                                for cc in 0..<k { mx = max(mx, out[o + cc]) }
                                var sum = 0.0
                                for cc in 0..<k { let e = Foundation.exp(out[o + cc] - mx); out[o + cc] = e; sum += e }
                                let y = Int(labels[i])
                                let s = sampleWeights[i] / Double(n)
                                loss -= s * Foundation.log(out[o + y] / sum)
                                for cc in 0..<k { out[o + cc] = s * (out[o + cc] / sum - (cc == y ? 1 : 0)) }
                            }
                            lBase[ch] = loss
                        }
                    }
                }
            }
            let lambda = 1 / (c * Double(max(n, 1)))
            var loss = losses.reduce(0, +)
            d.withUnsafeBufferPointer { dp in
                theta.withUnsafeBufferPointer { tp in
                    gradient.withUnsafeMutableBufferPointer { gp in
                        let gBase = gp.baseAddress!
                        // ∂L/∂W = Xᵀ·G + λ·W, feature blocks in parallel.
                        DispatchQueue.concurrentPerform(iterations: chunks) { ch in
                            let features = (ch * f / chunks)..<((ch + 1) * f / chunks)
                            let g = UnsafeMutableBufferPointer(start: gBase, count: wCount + k)
                            for j in features {
                                let o = j * k
                                for cc in 0..<k { g[o + cc] = lambda * tp[o + cc] }
                                for p in xt.rowStarts[j]..<xt.rowStarts[j + 1] {
                                    let v = Double(xt.values[p])
                                    let r = Int(xt.columns[p]) * k
                                    for cc in 0..<k { g[o + cc] += v * dp[r + cc] }
                                }
                            }
                        }
                        for cc in 0..<k {
                            var sum = 0.0
                            for i in 0..<n { sum += dp[i * k + cc] }
                            gp[wCount + cc] = sum
                        }
                        let w = UnsafeBufferPointer(rebasing: tp[0..<wCount])
                        loss += 0.5 * lambda * BLAS.dot(w, w)
                    }
                }
            }
            return loss
        }
    }
}
