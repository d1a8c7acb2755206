import Foundation

/// Searches feature and regularisation settings on held-out sentences.
///
/// For every vectorizer setting (word and character n-grams, min_df,
/// context), each head tries every C and class weighting; a head keeps its
/// best pair, and the vectorizer setting with the best mean over heads of
/// those macro-F1 scores wins. Tokenisation happens once; each vectorizer is
/// fitted once and its matrices reused; the C values of one head run from
/// small to large, each fit starting from the previous optimum.
public struct Tuner {
    public struct Grid: Sendable {
        public var wordNgrams: [ClosedRange<Int>] = [1...2, 1...3]
        public var charNgrams: [ClosedRange<Int>?] = [nil, 2...5]
        public var minDF: [Int] = [1]
        public var context: [Double] = [0, 0.5]
        public var c: [Double] = [3, 10, 30]
        public var classWeighting: [ClassWeighting] = [.none, .balanced]
        public init() {}
    }

    /// One vectorizer setting with the macro-F1 of every (head, C, class weighting) tried.
    public struct Trial: Sendable {
        public var vectorizer: VectorizerSettings
        /// scores[head][i] for the i-th (C, weighting) pair of `pairs`.
        public var scores: [[Double]]
        public var pairs: [(c: Double, weighting: ClassWeighting)]
        public var best: [Int] { scores.map { s in s.indices.max { s[$0] < s[$1] || (s[$0] == s[$1] && $0 > $1) } ?? 0 } }
        public var score: Double {
            let b = best
            return scores.isEmpty ? 0 : zip(scores, b).map { $0[$1] }.reduce(0, +) / Double(scores.count)
        }
    }

    public var grid = Grid()
    public var base = TrainingSettings()
    public init() {}

    public func search(train: [LabeledSentence], heldOut: [LabeledSentence], schema: CorpusSchema) throws -> [Trial] {
        let tokenizer = base.vectorizer.tokenizer
        let trainTokens = TfidfVectorizer.tokenize(train.map(\.text), with: tokenizer)
        let heldTokens = TfidfVectorizer.tokenize(heldOut.map(\.text), with: tokenizer)
        let trainGroups = Trainer.documentGroups(train), heldGroups = Trainer.documentGroups(heldOut)
        var pairs: [(c: Double, weighting: ClassWeighting)] = []
        for w in grid.classWeighting { for c in grid.c.sorted() { pairs.append((c, w)) } }
        var trials: [Trial] = []
        for w in grid.wordNgrams {
            for ch in grid.charNgrams {
                for md in grid.minDF {
                    for ctx in grid.context {
                        var vs = base.vectorizer
                        vs.wordNgrams = w
                        vs.charNgrams = ch
                        vs.minDF = md
                        vs.context = ctx
                        let vec = try TfidfVectorizer(settings: vs).fit(trainTokens, groups: trainGroups)
                        let x = vec.transform(trainTokens, groups: trainGroups)
                        let xt = x.transposed()
                        let xh = vec.transform(heldTokens, groups: heldGroups)
                        let scores = schema.heads.map { name, labels in
                            Tuner.scoreHead(name: name, labels: labels, pairs: pairs, base: base.regression,
                                            x: x, xt: xt, train: train, xHeld: xh, heldOut: heldOut)
                        }
                        trials.append(Trial(vectorizer: vs, scores: scores, pairs: pairs))
                    }
                }
            }
        }
        return trials.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
    }

    /// The settings a trial stands for: its vectorizer and each head's best C and weighting.
    public func settings(of trial: Trial, schema: CorpusSchema) -> TrainingSettings {
        var s = base
        s.vectorizer = trial.vectorizer
        for (h, i) in zip(schema.heads.map(\.name), trial.best) {
            var r = base.regression
            r.c = trial.pairs[i].c
            r.classWeighting = trial.pairs[i].weighting
            s.headRegression[h] = r
        }
        return s
    }

    static func scoreHead(name: String, labels: [String], pairs: [(c: Double, weighting: ClassWeighting)],
                          base: SoftmaxRegression, x: SparseMatrix, xt: SparseMatrix, train: [LabeledSentence],
                          xHeld: SparseMatrix, heldOut: [LabeledSentence]) -> [Double] {
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        let y = train.map { index[$0.labels[name]!]! }
        let gold = heldOut.map { $0.labels[name] ?? "" }
        var previous: (ClassWeighting, [Double])?
        return pairs.map { c, weighting in
            var r = base
            r.c = c
            r.classWeighting = weighting
            let warm = previous?.0 == weighting ? previous?.1 : nil
            let fit = r.fit(x, labels: y, classCount: labels.count, warmStart: warm, transposed: xt)
            previous = (weighting, fit.weights + fit.bias)
            let head = LinearHead(name: name, labels: labels, weights: fit.weights.map(Float.init), bias: fit.bias.map(Float.init))
            var p = [Float](repeating: 0, count: labels.count)
            let predicted = (0..<xHeld.rowCount).map { i -> String in
                let row = xHeld.row(i)
                return labels[head.predictedIndex(columns: row.columns, values: row.values, probabilities: &p)]
            }
            return HeadMetrics(head: name, labels: labels, gold: gold, predicted: predicted).macroF1
        }
    }

    /// The trials as a Markdown table: each head's best macro-F1 with its C and weighting.
    public static func table(_ trials: [Trial], heads: [String]) -> String {
        var s = "| word n-grams | char n-grams | min_df | context | " + heads.map { "\($0): F1 (C, weight)" }.joined(separator: " | ") + " | mean |\n"
        s += "|" + String(repeating: " --- |", count: 5 + heads.count) + "\n"
        for t in trials {
            let v = t.vectorizer
            s += "| \(v.wordNgrams.lowerBound)-\(v.wordNgrams.upperBound) | \(v.charNgrams.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "off") | \(v.minDF) | \(v.context) | "
            s += zip(t.scores, t.best).map { sc, i in
                String(format: "%.3f (%@, %@)", sc[i], fmtC(t.pairs[i].c), t.pairs[i].weighting.rawValue)
            }.joined(separator: " | ")
            s += String(format: " | %.3f |\n", t.score)
        }
        return s
    }

    static func fmtC(_ c: Double) -> String { c == c.rounded() ? String(Int(c)) : "\(c)" }
}
