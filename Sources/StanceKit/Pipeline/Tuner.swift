import Dispatch
import Foundation

/// Searches feature and regularisation settings by cross-validation on the
/// training sentences (or on a given development set), in two stages:
///
/// 1. Features, by coordinate search: starting from the given settings,
///    each dimension in turn (word n-grams, character n-grams, sublinear tf,
///    min_df, context) tries its other values with the others held, and
///    keeps a value when the mean over heads of macro-F1 improves. Every head
///    uses the base C and class weighting here.
/// 2. Regularisation, on the chosen features: each head tries every C and
///    class weighting and keeps its best pair.
///
/// Sentences are tokenized once. Each split is vectorized from its own
/// training rows (as a model trained on them alone would see it) and the
/// splits of one setting run in parallel. Every fit starts from zero: the
/// solver stops on an absolute gradient size, so a fit warm-started from a
/// neighbouring C barely moves and would score like it. Scores are
/// macro-F1 over all held-out predictions pooled. A multi-label head is
/// scored on its primary label with a softmax, which is cheaper and ranks
/// settings the same way in our measurements.
public struct Tuner {
    public struct Grid: Sendable {
        public var wordNgrams: [ClosedRange<Int>] = [1...1, 1...2, 1...3]
        public var charNgrams: [ClosedRange<Int>?] = [nil, 2...4, 2...5]
        public var sublinearTF: [Bool] = [true, false]
        public var minDF: [Int] = [1, 2]
        public var context: [Double] = [0, 0.5, 1]
        public var c: [Double] = [3, 10, 30]
        public var classWeighting: [ClassWeighting] = [.none, .balanced]
        public init() {}
    }

    /// Where settings are scored.
    public enum Validation: Sendable {
        /// K-fold cross-validation on the training sentences (grouped by document when known).
        case folds(Int)
        /// Train on the training sentences, score on these.
        case heldOut([LabeledSentence])
    }

    /// One vectorizer setting with the macro-F1 of each head for each (C, class weighting) tried.
    public struct Trial: Sendable {
        public var vectorizer: VectorizerSettings
        /// scores[head][i] for the i-th pair of `pairs`.
        public var scores: [[Double]]
        public var pairs: [(c: Double, weighting: ClassWeighting)]
        public var best: [Int] { scores.map { s in s.indices.max { s[$0] < s[$1] || (s[$0] == s[$1] && $0 > $1) } ?? 0 } }
        public var score: Double {
            let b = best
            return scores.isEmpty ? 0 : zip(scores, b).map { $0[$1] }.reduce(0, +) / Double(scores.count)
        }
    }

    public struct Result: Sendable {
        /// Stage 1, in the order tried.
        public var features: [Trial]
        /// Stage 2: the chosen features with every (C, weighting) pair.
        public var regularisation: Trial
        public var seconds: Double
        public var splits: String
    }

    public var grid = Grid()
    public var base = TrainingSettings()
    /// The search's fits stop at this gradient size, 10x the final model's:
    /// on the default corpus that made the search 2.4x faster and chose the
    /// same features, with C choices within 0.005 macro-F1 of the tight fits.
    public var searchTolerance = 1e-3
    public init() {}

    public func search(_ sentences: [LabeledSentence], validation: Validation, schema: CorpusSchema) throws -> Result {
        let started = Date()
        var all = sentences
        var trainRows: [[Int]] = [], heldRows: [[Int]] = []
        let description: String
        switch validation {
        case .folds(let k):
            let (folds, grouped) = CrossValidation(folds: k, settings: base).assignFolds(sentences, schema: schema)
            for f in Set(folds).sorted() {
                trainRows.append(folds.indices.filter { folds[$0] != f })
                heldRows.append(folds.indices.filter { folds[$0] == f })
            }
            description = "\(k)-fold cross-validation on the \(sentences.count) training sentences, \(grouped ? "grouped by document" : "stratified by label")"
        case .heldOut(let dev):
            all += dev
            trainRows = [Array(sentences.indices)]
            heldRows = [Array(sentences.count..<all.count)]
            description = "the \(dev.count) sentences of the development set"
        }
        let tokens = TfidfVectorizer.tokenize(all.map(\.text), with: base.vectorizer.tokenizer)
        var groups = Trainer.documentGroups(all)
        // A development set never continues a training document.
        for i in sentences.count..<all.count { groups[i] += sentences.count }
        let labels = schema.heads.map { name, labels -> [Int32] in
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
            return all.map { index[$0.labels[name] ?? ""] ?? 0 }
        }
        let context = Context(tokens: tokens, groups: groups, labels: labels, schema: schema, trainRows: trainRows, heldRows: heldRows)

        // Stage 1: features.
        let basePair = [(c: base.regression.c, weighting: base.regression.classWeighting)]
        var tried: [Trial] = []
        func score(_ v: VectorizerSettings) throws -> Double {
            if let t = tried.first(where: { $0.vectorizer == v }) { return t.score }
            let t = Trial(vectorizer: v, scores: try evaluate(v, pairs: basePair, context), pairs: basePair)
            tried.append(t)
            return t.score
        }
        var current = base.vectorizer
        var best = try score(current)
        let dimensions: [[(inout VectorizerSettings) -> Void]] = [
            grid.wordNgrams.map { w in { $0.wordNgrams = w } },
            grid.charNgrams.map { c in { $0.charNgrams = c } },
            grid.sublinearTF.map { s in { $0.sublinearTF = s } },
            grid.minDF.map { m in { $0.minDF = m } },
            grid.context.map { c in { $0.context = c } },
        ]
        for dimension in dimensions {
            var keep = current
            for set in dimension {
                var candidate = current
                set(&candidate)
                let s = try score(candidate)
                if s > best { best = s; keep = candidate }
            }
            current = keep
        }

        // Stage 2: regularisation per head.
        var pairs: [(c: Double, weighting: ClassWeighting)] = []
        for w in grid.classWeighting { for c in grid.c.sorted() { pairs.append((c, w)) } }
        let final = Trial(vectorizer: current, scores: try evaluate(current, pairs: pairs, context), pairs: pairs)
        return Result(features: tried, regularisation: final, seconds: Date().timeIntervalSince(started), splits: description)
    }

    /// The settings a result stands for: its features and each head's best C and weighting.
    public func settings(of result: Result, schema: CorpusSchema) -> TrainingSettings {
        var s = base
        let trial = result.regularisation
        s.vectorizer = trial.vectorizer
        for (h, i) in zip(schema.heads.map(\.name), trial.best) {
            var r = base.regression
            r.c = trial.pairs[i].c
            r.classWeighting = trial.pairs[i].weighting
            s.headRegression[h] = r
        }
        return s
    }

    struct Context: Sendable {
        let tokens: [TokenBuffer]
        let groups: [Int]
        /// labels[head][row]: the primary label's index.
        let labels: [[Int32]]
        let schema: CorpusSchema
        let trainRows: [[Int]]
        let heldRows: [[Int]]
    }

    /// scores[head][pair]: macro-F1 over the held-out rows of every split pooled.
    func evaluate(_ v: VectorizerSettings, pairs: [(c: Double, weighting: ClassWeighting)], _ ctx: Context) throws -> [[Double]] {
        let heads = ctx.schema.heads.count
        // predicted[split][head][pair][held row]
        var predicted = [[[[Int]]]?](repeating: nil, count: ctx.trainRows.count)
        var failure: Error?
        let lock = NSLock()
        predicted.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: ctx.trainRows.count) { n in
                do {
                    let split = try FoldSplit(tokens: ctx.tokens, groups: ctx.groups, train: ctx.trainRows[n], held: ctx.heldRows[n], settings: v)
                    base[n] = (0..<heads).map { h in
                        predictions(split: split, labels: ctx.labels[h], classCount: ctx.schema.heads[h].labels.count, pairs: pairs)
                    }
                } catch {
                    lock.lock(); failure = error; lock.unlock()
                }
            }
        }
        if let failure { throw failure }
        return (0..<heads).map { h in
            let names = ctx.schema.heads[h].labels
            let gold = ctx.heldRows.flatMap { $0.map { names[Int(ctx.labels[h][$0])] } }
            return pairs.indices.map { p in
                let pred = predicted.indices.flatMap { n in predicted[n]![h][p].map { names[$0] } }
                return HeadMetrics(head: ctx.schema.heads[h].name, labels: names, gold: gold, predicted: pred).macroF1
            }
        }
    }

    /// For each pair, the predicted label index of every held-out row.
    func predictions(split: FoldSplit, labels: [Int32], classCount k: Int, pairs: [(c: Double, weighting: ClassWeighting)]) -> [[Int]] {
        let y = split.train.map { labels[$0] }
        return pairs.map { c, weighting in
            var r = base.regression
            r.c = c
            r.classWeighting = weighting
            r.tolerance = searchTolerance
            let fit = r.fit(split.x, labels: y, classCount: k, transposed: split.xt)
            let head = LinearHead(name: "", labels: (0..<k).map(String.init), weights: fit.weights.map(Float.init), bias: fit.bias.map(Float.init))
            var p = [Float](repeating: 0, count: k)
            return (0..<split.xHeld.rowCount).map { i in
                let row = split.xHeld.row(i)
                return head.predictedIndex(columns: row.columns, values: row.values, probabilities: &p)
            }
        }
    }

    /// The search as Markdown: the feature settings tried (in order, the
    /// chosen one marked) and each head's macro-F1 for every C and weighting.
    public static func table(_ result: Result, heads: [String]) -> String {
        let chosen = result.regularisation.vectorizer
        var s = "Scored by \(result.splits); \(result.features.count + 1) settings in \(String(format: "%.1f", result.seconds)) s.\n\n"
        s += "Stage 1, features (each head at the base C and class weighting):\n\n"
        s += "| word n-grams | char n-grams | sublinear tf | min_df | context | " + heads.map { "\($0) F1" }.joined(separator: " | ") + " | mean |\n"
        s += "|" + String(repeating: " --- |", count: 6 + heads.count) + "\n"
        for t in result.features {
            let v = t.vectorizer
            let mark = v == chosen ? " **chosen**" : ""
            s += "| \(v.wordNgrams.lowerBound)-\(v.wordNgrams.upperBound) | \(v.charNgrams.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "off") | \(v.sublinearTF ? "yes" : "no") | \(v.minDF) | \(v.context) | "
            s += t.scores.map { String(format: "%.3f", $0[0]) }.joined(separator: " | ")
            s += String(format: " | %.3f%@ |\n", t.score, mark)
        }
        let r = result.regularisation
        s += "\nStage 2, regularisation on the chosen features (each head keeps its best, in bold):\n\n"
        s += "| C | class weight | " + heads.joined(separator: " | ") + " |\n"
        s += "|" + String(repeating: " --- |", count: 2 + heads.count) + "\n"
        let best = r.best
        for (i, p) in r.pairs.enumerated() {
            s += "| \(fmtC(p.c)) | \(p.weighting.rawValue) | "
            s += r.scores.indices.map { h in
                let f = String(format: "%.3f", r.scores[h][i])
                return best[h] == i ? "**\(f)**" : f
            }.joined(separator: " | ")
            s += " |\n"
        }
        s += String(format: "\nBest mean macro-F1: %.3f.\n", r.score)
        return s
    }

    static func fmtC(_ c: Double) -> String { c == c.rounded() ? String(Int(c)) : "\(c)" }
}
