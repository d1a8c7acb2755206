import Foundation
import Testing
@testable import StanceKit

@Suite struct ModelTests {
    /// A small random problem: 30 rows, 7 features, 3 classes.
    func problem() -> (SparseMatrix, [Int32]) {
        var rng = SplitMix(seed: 7)
        var m = SparseMatrix(columnCount: 7)
        var y: [Int32] = []
        for i in 0..<30 {
            var cols: [Int32] = []
            var vals: [Float] = []
            for j in 0..<7 where rng.next() % 3 == 0 { cols.append(Int32(j)); vals.append(Float(rng.next() % 100) / 50) }
            m.appendRow(columns: cols, values: vals)
            y.append(Int32(i % 3))
        }
        return (m, y)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let (x, y) = problem()
        for weighting in ClassWeighting.allCases {
            var r = SoftmaxRegression()
            r.c = 0.7
            r.classWeighting = weighting
            let obj = SoftmaxRegression.Objective(x: x, labels: y, k: 3, c: r.c, sampleWeights: r.sampleWeights(labels: y, classCount: 3))
            var rng = SplitMix(seed: 3)
            let theta = (0..<(7 * 3 + 3)).map { _ in Double(rng.next() % 2000) / 1000 - 1 }
            var grad = [Double](repeating: 0, count: theta.count)
            _ = obj.evaluate(theta, gradient: &grad)
            var scratch = grad
            let h = 1e-6
            for i in theta.indices {
                var tp = theta, tm = theta
                tp[i] += h
                tm[i] -= h
                let numeric = (obj.evaluate(tp, gradient: &scratch) - obj.evaluate(tm, gradient: &scratch)) / (2 * h)
                #expect(abs(numeric - grad[i]) < 1e-6 * max(1, abs(numeric)), "coordinate \(i): \(numeric) vs \(grad[i])")
            }
        }
    }

    @Test func lbfgsReachesTheMinimum() {
        let (x, y) = problem()
        var r = SoftmaxRegression()
        r.c = 1
        r.tolerance = 1e-6
        let fit = r.fit(x, labels: y, classCount: 3)
        #expect(fit.converged)
        let obj = SoftmaxRegression.Objective(x: x, labels: y, k: 3, c: 1, sampleWeights: r.sampleWeights(labels: y, classCount: 3))
        var g = [Double](repeating: 0, count: fit.weights.count + 3)
        _ = obj.evaluate(fit.weights + fit.bias, gradient: &g)
        #expect(g.map(abs).max()! < 1e-4)
    }

    @Test func lbfgsSolvesAQuadratic() {
        // f(x) = Σ i·(xᵢ − i)²
        var solver = LBFGS()
        solver.gradientTolerance = 1e-9
        let r = solver.minimize(start: [Double](repeating: 0, count: 20)) { x, g in
            var f = 0.0
            for i in x.indices { let d = x[i] - Double(i); f += Double(i + 1) * d * d; g[i] = 2 * Double(i + 1) * d }
            return f
        }
        for i in r.x.indices { #expect(abs(r.x[i] - Double(i)) < 1e-5) }
    }

    @Test func probabilitiesAreFiniteAndSumToOne() throws {
        let model = try TinyCorpus.model()
        for text in ["", "missile", "The deal was signed together.", String(repeating: "moon ", count: 5000), "\u{0}\u{FFFD}??!!"] {
            for p in model.predict(text) {
                let sum = p.scores.map { Double($0.probability) }.reduce(0, +)
                #expect(abs(sum - 1) < 1e-5)
                #expect(p.scores.allSatisfy { $0.probability.isFinite && $0.probability >= 0 })
            }
        }
    }

    @Test func tinyModelLabelsObviousSentences() throws {
        let model = try TinyCorpus.model()
        #expect(model.predict("They tested a missile against a satellite.").first { $0.head == "stance" }?.label == "militarisation")
        #expect(model.predict("The agencies signed a joint deal together.").first { $0.head == "stance" }?.label == "cooperation")
        #expect(model.predict("The rivals race to dominate.").first { $0.head == "stance" }?.label == "rivalry")
    }

    @Test func trainingIsDeterministic() throws {
        let a = ModelFile.encode(try TinyCorpus.model())
        let b = ModelFile.encode(try TinyCorpus.model())
        #expect(a == b)
    }
}

/// A tiny deterministic random generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
