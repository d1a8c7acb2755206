/// One-vs-rest training of a multi-label head: for each label, a two-class
/// softmax regression of "has the label" against "has not", whose weight
/// difference is that label's sigmoid: σ(x·(w₁ − w₀) + (b₁ − b₀)) equals the
/// two-class softmax probability of "has". (With L2 on both columns the
/// optimum has w₀ = −w₁, so this is logistic regression with C doubled.)
public struct OneVsRest: Sendable {
    public var regression: SoftmaxRegression

    public init(regression: SoftmaxRegression) { self.regression = regression }

    public struct Fit: Sendable {
        public var weights: [Float]   // features × K, row-major
        public var bias: [Float]
        public var iterations: Int
        public var converged: Bool
    }

    /// `targets[i][c]`: sentence i carries label c.
    public func fit(_ x: SparseMatrix, transposed: SparseMatrix? = nil, targets: [[Bool]], labelCount k: Int) -> Fit {
        let f = x.columnCount
        var weights = [Float](repeating: 0, count: f * k)
        var bias = [Float](repeating: 0, count: k)
        var iterations = 0
        var converged = true
        let xt = transposed ?? x.transposed()
        for c in 0..<k {
            let y = targets.map { Int32($0[c] ? 1 : 0) }
            guard Set(y).count == 2 else {
                bias[c] = y.first == 1 ? 10 : -10   // a label every (or no) sentence carries
                continue
            }
            let fit = regression.fit(x, labels: y, classCount: 2, transposed: xt)
            for j in 0..<f { weights[j * k + c] = Float(fit.weights[j * 2 + 1] - fit.weights[j * 2]) }
            bias[c] = Float(fit.bias[1] - fit.bias[0])
            iterations += fit.iterations
            converged = converged && fit.converged
        }
        return Fit(weights: weights, bias: bias, iterations: iterations, converged: converged)
    }

    /// The cut-off t (predict "has" when p ≥ t) with the highest F1; ties go
    /// to the higher t.
    static func bestThreshold(scores: [Float], relevant: [Bool]) -> Float {
        let positives = relevant.filter { $0 }.count
        guard positives > 0 else { return 0.5 }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tp = 0
        var best: (f1: Double, t: Float) = (0, 0.5)
        for (rank, i) in order.enumerated() {
            if relevant[i] { tp += 1 }
            if rank + 1 < order.count, scores[order[rank + 1]] == scores[i] { continue }
            let f1 = 2 * Double(tp) / Double(rank + 1 + positives)
            if f1 > best.f1 { best = (f1, scores[i]) }
        }
        return best.t
    }
}
