import Foundation

/// Everything that decides how a model is trained.
public struct TrainingSettings: Sendable {
    public var vectorizer = VectorizerSettings()
    public var regression = SoftmaxRegression()
    /// Per-head overrides of `regression` (C and class weighting chosen by --tune).
    public var headRegression: [String: SoftmaxRegression] = [:]
    /// Train a head whose records carry several labels one-vs-rest (sigmoids
    /// with tuned thresholds); when false, every head is a softmax over its
    /// primary labels.
    public var multiLabel = true
    public init() {}

    public func regression(for head: String) -> SoftmaxRegression { headRegression[head] ?? regression }

    /// The settings as the model file records them.
    public var summary: [String: String] {
        var s: [String: String] = [
            "word_ngrams": "\(vectorizer.wordNgrams.lowerBound)-\(vectorizer.wordNgrams.upperBound)",
            "char_ngrams": vectorizer.charNgrams.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "off",
            "min_df": "\(vectorizer.minDF)",
            "max_df": "\(vectorizer.maxDF)",
            "sublinear_tf": "\(vectorizer.sublinearTF)",
            "context": "\(vectorizer.context)",
            "multi_label": "\(multiLabel)",
            "max_iter": "\(regression.maxIterations)",
            "solver": "lbfgs-compact",
        ]
        if let m = vectorizer.maxFeatures { s["max_features"] = "\(m)" }
        if headRegression.isEmpty {
            s["C"] = "\(regression.c)"
            s["class_weight"] = regression.classWeighting.rawValue
        }
        for (head, r) in headRegression {
            s["\(head).C"] = "\(r.c)"
            s["\(head).class_weight"] = r.classWeighting.rawValue
        }
        return s
    }
}

/// Trains a multi-head model from labelled sentences.
public struct Trainer {
    public var settings: TrainingSettings
    public init(settings: TrainingSettings = TrainingSettings()) { self.settings = settings }

    public struct Report {
        public var model: StanceModel
        public var perHead: [(head: String, labels: Int, trainAccuracy: Double, iterations: Int, converged: Bool)]
        public var seconds: Double
    }

    public func train(_ sentences: [LabeledSentence], schema: CorpusSchema,
                      corpusHash: String = "", corpusFiles: [String] = []) throws -> Report {
        let started = Date()
        let tokens = TfidfVectorizer.tokenize(sentences.map(\.text), with: settings.vectorizer.tokenizer)
        let groups = Trainer.documentGroups(sentences)
        let vectorizer = try TfidfVectorizer(settings: settings.vectorizer).fit(tokens, groups: groups)
        let x = vectorizer.transform(tokens, groups: groups)
        let xt = x.transposed()
        var heads: [LinearHead] = []
        var perHead: [(String, Int, Double, Int, Bool)] = []
        var metrics: [String: Double] = [:]
        for (name, labels) in schema.heads {
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
            let y = sentences.map { index[$0.labels[name]!]! }
            let head: LinearHead
            let iterations: Int, converged: Bool
            if settings.multiLabel, sentences.contains(where: { ($0.multiLabels[name]?.count ?? 0) > 1 }) {
                let targets = sentences.map { s in Set(s.multiLabels[name] ?? [s.labels[name]!]) }.map { set in labels.map { set.contains($0) } }
                let ovr = OneVsRest(regression: settings.regression(for: name))
                let fit = ovr.fit(x, transposed: xt, targets: targets, labelCount: labels.count)
                let folds = CrossValidation(folds: 3, settings: settings).assignFolds(sentences, schema: schema).folds
                let thresholds = ovr.tuneThresholds(x, targets: targets, labelCount: labels.count, folds: folds)
                head = LinearHead(name: name, labels: labels, weights: fit.weights, bias: fit.bias, thresholds: thresholds)
                (iterations, converged) = (fit.iterations, fit.converged)
            } else {
                let fit = settings.regression(for: name).fit(x, labels: y, classCount: labels.count, transposed: xt)
                head = LinearHead(name: name, labels: labels, weights: fit.weights.map(Float.init), bias: fit.bias.map(Float.init))
                (iterations, converged) = (fit.iterations, fit.converged)
            }
            var p = [Float](repeating: 0, count: labels.count)
            var correct = 0
            for i in 0..<x.rowCount {
                let r = x.row(i)
                if head.predictedIndex(columns: r.columns, values: r.values, probabilities: &p) == Int(y[i]) { correct += 1 }
            }
            let acc = Double(correct) / Double(max(x.rowCount, 1))
            metrics["\(name).train_accuracy"] = (acc * 10000).rounded() / 10000
            heads.append(head)
            perHead.append((name, labels.count, acc, iterations, converged))
        }
        let metadata = ModelMetadata(corpusHash: corpusHash, corpusFiles: corpusFiles, sentenceCount: sentences.count,
                                     settings: settings.summary, metrics: metrics, created: Trainer.creationDate())
        let model = StanceModel(vectorizer: vectorizer, heads: heads, metadata: metadata)
        return Report(model: model, perHead: perHead.map { ($0.0, $0.1, $0.2, $0.3, $0.4) },
                      seconds: Date().timeIntervalSince(started))
    }

    /// A number per run of consecutive sentences from one document, so that
    /// context features never cross from one document into the next.
    public static func documentGroups(_ sentences: [LabeledSentence]) -> [Int] {
        var groups: [Int] = []
        groups.reserveCapacity(sentences.count)
        var g = 0
        for (i, s) in sentences.enumerated() {
            if i > 0, s.doc != sentences[i - 1].doc || s.doc == nil { g += 1 }
            groups.append(g)
        }
        return groups
    }

    /// The training date: SOURCE_DATE_EPOCH when set (reproducible builds'
    /// convention), otherwise today's UTC date, so that two trainings of the
    /// same corpus on the same day give byte-identical files.
    public static func creationDate() -> String {
        var seconds = Date().timeIntervalSince1970
        if let e = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let v = Double(e) { seconds = v }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// SHA-256 over the corpus files' bytes, in the given order.
    public static func corpusHash(files: [String]) throws -> String {
        var h = SHA256()
        for f in files {
            guard let d = FileManager.default.contents(atPath: f) else { throw StanceError.io("\(f): cannot read the corpus file.") }
            h.update(Array(d))
        }
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
