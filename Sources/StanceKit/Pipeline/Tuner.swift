import Dispatch
import Foundation

/// Searches feature and regularisation settings, scoring each on held-out
/// sentences by the mean over heads of macro-F1.
///
/// Tokenisation happens once; each vectorizer setting is fitted once and its
/// matrices are reused for every C and class weighting tried on it.
public struct Tuner {
    public struct Grid: Sendable {
        public var wordNgrams: [ClosedRange<Int>] = [1...2, 1...3]
        public var charNgrams: [ClosedRange<Int>?] = [nil, 2...5]
        public var minDF: [Int] = [1, 2]
        public var sublinearTF: [Bool] = [true]
        public var c: [Double] = [1, 3, 10, 30]
        public var classWeighting: [ClassWeighting] = [.none, .balanced]
        public init() {}
    }

    public struct Trial: Sendable {
        public var settings: TrainingSettings
        /// Macro-F1 per head, in schema order.
        public var macroF1: [Double]
        public var score: Double { macroF1.isEmpty ? 0 : macroF1.reduce(0, +) / Double(macroF1.count) }
    }

    public var grid = Grid()
    public var base = TrainingSettings()
    public init() {}

    /// Every combination of the grid, trained on `train` and scored on `heldOut`;
    /// best first (ties keep grid order).
    public func search(train: [LabeledSentence], heldOut: [LabeledSentence], schema: CorpusSchema) throws -> [Trial] {
        let tokenizer = base.vectorizer.tokenizer
        let trainTokens = TfidfVectorizer.tokenize(train.map(\.text), with: tokenizer)
        let heldTokens = TfidfVectorizer.tokenize(heldOut.map(\.text), with: tokenizer)
        var trials: [Trial] = []
        for w in grid.wordNgrams {
            for ch in grid.charNgrams {
                for md in grid.minDF {
                    for sub in grid.sublinearTF {
                        var vs = base.vectorizer
                        vs.wordNgrams = w
                        vs.charNgrams = ch
                        vs.minDF = md
                        vs.sublinearTF = sub
                        let vec = try TfidfVectorizer(settings: vs).fit(trainTokens)
                        let x = vec.transform(trainTokens)
                        let xh = vec.transform(heldTokens)
                        for c in grid.c {
                            for cw in grid.classWeighting {
                                var s = base
                                s.vectorizer = vs
                                s.regression.c = c
                                s.regression.classWeighting = cw
                                let f1 = Tuner.score(settings: s, x: x, train: train, xHeld: xh, heldOut: heldOut, schema: schema)
                                trials.append(Trial(settings: s, macroF1: f1))
                            }
                        }
                    }
                }
            }
        }
        return trials.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
    }

    /// Macro-F1 on held-out rows of each head trained with `settings` on `x`.
    static func score(settings: TrainingSettings, x: SparseMatrix, train: [LabeledSentence], xHeld: SparseMatrix,
                      heldOut: [LabeledSentence], schema: CorpusSchema) -> [Double] {
        schema.heads.map { name, labels in
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
            let y = train.map { index[$0.labels[name]!]! }
            let fit = settings.regression.fit(x, labels: y, classCount: labels.count)
            let head = LinearHead(name: name, labels: labels, weights: fit.weights.map(Float.init), bias: fit.bias.map(Float.init))
            var p = [Float](repeating: 0, count: labels.count)
            let predicted = (0..<xHeld.rowCount).map { i -> String in
                let r = xHeld.row(i)
                head.probabilities(columns: Array(r.columns), values: Array(r.values), into: &p)
                return labels[p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }!]
            }
            return HeadMetrics(head: name, labels: labels, gold: heldOut.map { $0.labels[name] ?? "" }, predicted: predicted).macroF1
        }
    }

    /// The trials as a Markdown table.
    public static func table(_ trials: [Trial], heads: [String]) -> String {
        var s = "| word n-grams | char n-grams | min_df | C | class weight | " + heads.map { "\($0) F1" }.joined(separator: " | ") + " | mean |\n"
        s += "|" + String(repeating: " --- |", count: 6 + heads.count) + "\n"
        for t in trials {
            let v = t.settings.vectorizer
            s += "| \(v.wordNgrams.lowerBound)-\(v.wordNgrams.upperBound) | \(v.charNgrams.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "off") | \(v.minDF) | \(fmtC(t.settings.regression.c)) | \(t.settings.regression.classWeighting.rawValue) | "
            s += t.macroF1.map { String(format: "%.3f", $0) }.joined(separator: " | ") + String(format: " | %.3f |\n", t.score)
        }
        return s
    }

    static func fmtC(_ c: Double) -> String { c == c.rounded() ? String(Int(c)) : "\(c)" }
}
