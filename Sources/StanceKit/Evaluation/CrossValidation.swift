import Foundation

/// K-fold cross-validation: grouped by document when the sentences carry
/// more than one document (no document is split between training and
/// held-out folds), stratified by the first head's label otherwise.
public struct CrossValidation {
    public var folds: Int
    public var settings: TrainingSettings

    public init(folds: Int, settings: TrainingSettings) {
        self.folds = folds
        self.settings = settings
    }

    public struct Report {
        public var grouped: Bool
        /// Macro-F1 of each head in each fold.
        public var foldMacroF1: [String: [Double]]
        /// Metrics over all held-out predictions pooled.
        public var pooled: [HeadMetrics]

        public func text() -> String {
            var s = "\(foldMacroF1.values.first?.count ?? 0)-fold cross-validation, \(grouped ? "grouped by document" : "stratified by label")\n\n"
            for m in pooled {
                let f = foldMacroF1[m.head] ?? []
                let mean = f.reduce(0, +) / Double(max(f.count, 1))
                let sd = (f.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(f.count - 1, 1))).squareRoot()
                s += String(format: "%@: macro-F1 %.3f ± %.3f over folds (%@)\n", m.head, mean, sd,
                            f.map { String(format: "%.3f", $0) }.joined(separator: ", "))
                s += "  per class (pooled): " + m.perClass.map { String(format: "%@ %.3f", $0.label, $0.f1) }.joined(separator: ", ") + "\n"
            }
            return s
        }
    }

    /// The fold of each sentence.
    public func assignFolds(_ sentences: [LabeledSentence], schema: CorpusSchema) -> (folds: [Int], grouped: Bool) {
        let docs = sentences.map { $0.doc ?? "" }
        let distinct = Array(Set(docs)).sorted()
        if distinct.count >= folds {
            // Largest documents first, each to the fold with the fewest sentences so far.
            var sizes: [String: Int] = [:]
            for d in docs { sizes[d, default: 0] += 1 }
            var load = [Int](repeating: 0, count: folds)
            var foldOf: [String: Int] = [:]
            for d in distinct.sorted(by: { (sizes[$0]!, $1) > (sizes[$1]!, $0) }) {
                let f = load.indices.min { load[$0] < load[$1] || (load[$0] == load[$1] && $0 < $1) }!
                foldOf[d] = f
                load[f] += sizes[d]!
            }
            return (docs.map { foldOf[$0]! }, true)
        }
        // Stratified: deal each label's sentences round-robin over the folds.
        let head = schema.heads.first?.name ?? ""
        var next: [String: Int] = [:]
        return (sentences.map { s in
            let l = s.labels[head] ?? ""
            let f = next[l, default: 0]
            next[l] = (f + 1) % folds
            return f
        }, false)
    }

    public func run(_ sentences: [LabeledSentence], schema: CorpusSchema) throws -> Report {
        let (foldOf, grouped) = assignFolds(sentences, schema: schema)
        var foldF1: [String: [Double]] = [:]
        var predicted = [String: [String]]()
        for h in schema.heads { predicted[h.name] = [String](repeating: "", count: sentences.count) }
        for f in 0..<folds {
            let trainIdx = sentences.indices.filter { foldOf[$0] != f }
            let testIdx = sentences.indices.filter { foldOf[$0] == f }
            guard !trainIdx.isEmpty, !testIdx.isEmpty else { continue }
            let train = trainIdx.map { sentences[$0] }
            let report = try Trainer(settings: settings).train(train, schema: schema)
            let outputs = Evaluator(model: report.model).predict(testIdx.map { sentences[$0] })
            for (hi, h) in schema.heads.enumerated() {
                let gold = testIdx.map { sentences[$0].labels[h.name] ?? "" }
                let pred = outputs.map { $0.predictions[hi].label }
                for (k, i) in testIdx.enumerated() { predicted[h.name]![i] = pred[k] }
                foldF1[h.name, default: []].append(HeadMetrics(head: h.name, labels: h.labels, gold: gold, predicted: pred).macroF1)
            }
        }
        let pooled = schema.heads.map { h in
            HeadMetrics(head: h.name, labels: h.labels, gold: sentences.map { $0.labels[h.name] ?? "" }, predicted: predicted[h.name]!)
        }
        return Report(grouped: grouped, foldMacroF1: foldF1, pooled: pooled)
    }
}
