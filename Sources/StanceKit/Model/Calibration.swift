import Foundation

/// Makes a head's scores mean what they say, fitted on held-out
/// (out-of-fold) raw scores and folded into the head's weights, so a
/// calibrated model file is read and used like any other.
///
/// - A softmax head gets temperature scaling (Guo et al. 2017): one factor a
///   (= 1/T) on every logit, p = softmax(a·z), a chosen to minimise the
///   held-out negative log-likelihood. The arg-max label does not change.
/// - Each sigmoid of a multi-label head gets Platt scaling (Platt 1999):
///   p = σ(a·z + b), (a, b) minimising the held-out binary log-loss.
public enum Calibration {
    /// The factor a > 0 minimising Σᵢ −ln softmax(a·zᵢ)[yᵢ] over rows of
    /// `logits` (n × k, row-major). The loss is convex in a; its derivative
    /// Σᵢ (E_{p(a)}[zᵢ] − zᵢ,yᵢ) is increasing, so its root is found by
    /// bisection on ln a.
    public static func temperatureFactor(logits: [Float], labels: [Int32], classCount k: Int) -> Double {
        let n = labels.count
        guard n > 0, k > 1 else { return 1 }
        func slope(_ a: Double) -> Double {
            var d = 0.0
            for i in 0..<n {
                let o = i * k
                var mx = -Double.infinity
                for c in 0..<k { mx = max(mx, a * Double(logits[o + c])) }
                var sum = 0.0, mean = 0.0
                for c in 0..<k {
                    let e = Foundation.exp(a * Double(logits[o + c]) - mx)
                    sum += e
                    mean += e * Double(logits[o + c])
                }
                d += mean / sum - Double(logits[o + Int(labels[i])])
            }
            return d
        }
        var lo = log(1e-3), hi = log(1e3)
        if slope(exp(lo)) >= 0 { return exp(lo) }
        if slope(exp(hi)) <= 0 { return exp(hi) }
        for _ in 0..<50 {
            let mid = (lo + hi) / 2
            if slope(exp(mid)) < 0 { lo = mid } else { hi = mid }
        }
        return exp((lo + hi) / 2)
    }

    /// (a, b) minimising Σᵢ −[tᵢ ln σ(a·zᵢ + b) + (1 − tᵢ) ln(1 − σ(a·zᵢ + b))],
    /// by Newton's method with step halving. (1, 0) leaves the scores as
    /// they are; it is also the answer when one class is missing.
    public static func plattScaling(scores z: [Float], positive t: [Bool]) -> (a: Double, b: Double) {
        let positives = t.filter { $0 }.count
        guard positives > 0, positives < t.count else { return (1, 0) }
        func loss(_ a: Double, _ b: Double) -> Double {
            var l = 0.0
            for (zi, ti) in zip(z, t) {
                let u = a * Double(zi) + b
                // −ln σ(u) = ln(1 + e^−u), computed without overflow.
                let m = ti ? -u : u
                l += max(m, 0) + log1p(exp(-abs(m)))
            }
            return l
        }
        var a = 1.0, b = 0.0
        var current = loss(a, b)
        for _ in 0..<100 {
            var ga = 0.0, gb = 0.0, haa = 1e-12, hab = 0.0, hbb = 1e-12
            for (zi, ti) in zip(z, t) {
                let x = Double(zi)
                let p = 1 / (1 + exp(-(a * x + b)))
                let r = p - (ti ? 1 : 0)
                let w = p * (1 - p)
                ga += r * x; gb += r
                haa += w * x * x; hab += w * x; hbb += w
            }
            let det = haa * hbb - hab * hab
            guard det > 0 else { break }
            let da = (hbb * ga - hab * gb) / det
            let db = (haa * gb - hab * ga) / det
            var step = 1.0
            var improved = false
            for _ in 0..<30 {
                let next = loss(a - step * da, b - step * db)
                if next < current {
                    a -= step * da; b -= step * db
                    improved = current - next > 1e-10 * max(1, current)
                    current = next
                    break
                }
                step /= 2
            }
            if !improved { break }
        }
        return a > 0 ? (a, b) : (1, 0)
    }

    /// The calibration error of independent per-label probabilities (a
    /// multi-label head's sigmoids): each says "has the label" when ≥ 0.5,
    /// with confidence max(p, 1 − p), checked against `carries`.
    public static func perLabelCalibrationError(probabilities: [Double], carries: [Bool]) -> Double {
        expectedCalibrationError(confidence: probabilities.map { max($0, 1 - $0) },
                                 correct: zip(probabilities, carries).map { ($0 >= 0.5) == $1 })
    }

    /// Expected calibration error over 10 equal-width confidence bins:
    /// Σ_bins (n_bin / n) · |accuracy_bin − mean confidence_bin|.
    public static func expectedCalibrationError(confidence: [Double], correct: [Bool]) -> Double {
        var bins = [(n: Int, hits: Int, conf: Double)](repeating: (0, 0, 0), count: 10)
        for (c, ok) in zip(confidence, correct) {
            let b = min(max(Int(c * 10), 0), 9)
            bins[b].n += 1
            bins[b].hits += ok ? 1 : 0
            bins[b].conf += c
        }
        let n = Double(max(confidence.count, 1))
        return bins.filter { $0.n > 0 }.map { b in
            Double(b.n) / n * abs(Double(b.hits) / Double(b.n) - b.conf / Double(b.n))
        }.reduce(0, +)
    }
}

extension LinearHead {
    /// This head with every logit multiplied by `a` (temperature scaling).
    func scaled(by a: Double) -> LinearHead {
        let f = Float(a)
        return LinearHead(name: name, labels: labels, weights: weights.map { $0 * f }, bias: bias.map { $0 * f }, thresholds: thresholds)
    }

    /// This head with label c's logit zᶜ replaced by a[c]·zᶜ + b[c] (Platt
    /// scaling of each sigmoid), and the given thresholds.
    func scaled(by a: [Double], shift b: [Double], thresholds: [Float]?) -> LinearHead {
        let k = labels.count
        var w = weights
        for j in 0..<(k == 0 ? 0 : w.count / k) { for c in 0..<k { w[j * k + c] *= Float(a[c]) } }
        let newBias = (0..<k).map { Float(a[$0] * Double(bias[$0]) + b[$0]) }
        return LinearHead(name: name, labels: labels, weights: w, bias: newBias, thresholds: thresholds)
    }
}
