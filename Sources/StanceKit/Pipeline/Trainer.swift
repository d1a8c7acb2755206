import Dispatch
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
    /// Fit temperature (softmax heads) or Platt (multi-label heads) scaling
    /// on out-of-fold scores, so that probabilities mean what they say.
    public var calibrate = true
    /// Folds for the out-of-fold scores behind calibration and thresholds.
    public var calibrationFolds = 3
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
            "calibration": calibrate ? "out-of-fold temperature (softmax) / Platt (multi-label)" : "none",
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
        public var perHead: [HeadReport]
        public var seconds: Double
    }

    public struct HeadReport: Sendable {
        public var head: String
        public var labels: Int
        public var trainAccuracy: Double
        public var iterations: Int
        public var converged: Bool
        /// Expected calibration error of the out-of-fold probabilities before
        /// and after calibration (nil when not calibrated).
        public var calibration: (before: Double, after: Double)?
        /// 1/T of a softmax head's temperature scaling.
        public var temperatureFactor: Double?
    }

    public func train(_ sentences: [LabeledSentence], schema: CorpusSchema,
                      corpusHash: String = "", corpusFiles: [String] = []) throws -> Report {
        let started = Date()
        let tokens = TfidfVectorizer.tokenize(sentences.map(\.text), with: settings.vectorizer.tokenizer)
        let groups = Trainer.documentGroups(sentences)
        let vectorizer = try TfidfVectorizer(settings: settings.vectorizer).fit(tokens, groups: groups)
        let x = vectorizer.transform(tokens, groups: groups)
        let xt = x.transposed()
        let folds = CrossValidation(folds: settings.calibrationFolds, settings: settings).assignFolds(sentences, schema: schema).folds
        let needsFolds = settings.calibrate || (settings.multiLabel && sentences.contains { $0.multiLabels.values.contains { $0.count > 1 } })
        // A fold too small to vectorize (a tiny corpus with a high min_df) means no calibration, not a failure.
        let splits = needsFolds && Set(folds).count > 1
            ? (try? FoldSplit.make(tokens: tokens, groups: groups, folds: folds, settings: settings.vectorizer)) ?? [] : []
        // Heads are independent: train them side by side.
        var results = [(LinearHead, HeadReport)?](repeating: nil, count: schema.heads.count)
        results.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: schema.heads.count) { h in
                let (name, labels) = schema.heads[h]
                base[h] = trainHead(name: name, labels: labels, sentences: sentences, x: x, xt: xt, splits: splits)
            }
        }
        var metrics: [String: Double] = [:]
        for case let (_, r)? in results {
            metrics["\(r.head).train_accuracy"] = (r.trainAccuracy * 10000).rounded() / 10000
            if let a = r.temperatureFactor { metrics["\(r.head).temperature"] = (10000 / a).rounded() / 10000 }
            if let c = r.calibration { metrics["\(r.head).oof_ece"] = (c.after * 10000).rounded() / 10000 }
        }
        let metadata = ModelMetadata(corpusHash: corpusHash, corpusFiles: corpusFiles, sentenceCount: sentences.count,
                                     settings: settings.summary, metrics: metrics, created: Trainer.creationDate())
        let model = StanceModel(vectorizer: vectorizer, heads: results.map { $0!.0 }, metadata: metadata)
        return Report(model: model, perHead: results.map { $0!.1 }, seconds: Date().timeIntervalSince(started))
    }

    /// Fits one head on all sentences, then (with calibration) refits it
    /// without each fold in turn (from scratch: a warm start from the full
    /// fit measurably biased the out-of-fold scores) to get
    /// out-of-fold scores for calibration and multi-label thresholds.
    func trainHead(name: String, labels: [String], sentences: [LabeledSentence], x: SparseMatrix, xt: SparseMatrix,
                   splits: [FoldSplit]) -> (LinearHead, HeadReport) {
        let k = labels.count
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        let y = sentences.map { index[$0.labels[name]!]! }
        let regression = settings.regression(for: name)
        let multi = settings.multiLabel && sentences.contains { ($0.multiLabels[name]?.count ?? 0) > 1 }
        let useFolds = !splits.isEmpty && (settings.calibrate || multi)
        // Fold models see fewer sentences; scaling C by N / N_fold gives them
        // the same penalty per sentence as the full model, so their scores
        // are as confident as its and calibration carries over.
        func foldRegression(_ rows: Int) -> SoftmaxRegression {
            var r = regression
            r.c *= Double(sentences.count) / Double(max(rows, 1))
            return r
        }
        var head: LinearHead
        var report = HeadReport(head: name, labels: k, trainAccuracy: 0, iterations: 0, converged: true)
        if multi {
            let targets = sentences.map { s in Set(s.multiLabels[name] ?? [s.labels[name]!]) }.map { set in labels.map { set.contains($0) } }
            let ovr = OneVsRest(regression: regression)
            let fit = ovr.fit(x, transposed: xt, targets: targets, labelCount: k)
            (report.iterations, report.converged) = (fit.iterations, fit.converged)
            head = LinearHead(name: name, labels: labels, weights: fit.weights, bias: fit.bias, thresholds: [Float](repeating: 0.5, count: k))
            if useFolds {
                var z = Trainer.outOfFoldLogits(splits, rows: x.rowCount, k: k) { n in
                    let split = splits[n]
                    let f = OneVsRest(regression: foldRegression(split.train.count))
                        .fit(split.x, transposed: split.xt, targets: split.train.map { targets[$0] }, labelCount: k)
                    return LinearHead(name: name, labels: labels, weights: f.weights, bias: f.bias, thresholds: [Float](repeating: 0.5, count: k))
                }
                let sigmoid = { (v: Float) -> Float in 1 / (1 + Foundation.exp(-v)) }
                let eceBefore = Trainer.multiLabelECE(z.map(sigmoid), targets: targets)
                var a = [Double](repeating: 1, count: k), b = [Double](repeating: 0, count: k)
                if settings.calibrate {
                    for c in 0..<k {
                        (a[c], b[c]) = Calibration.plattScaling(scores: stride(from: c, to: z.count, by: k).map { z[$0] },
                                                                positive: targets.map { $0[c] })
                    }
                    for i in 0..<z.count { z[i] = Float(a[i % k] * Double(z[i]) + b[i % k]) }
                }
                let p = z.map(sigmoid)
                let thresholds = (0..<k).map { c in
                    OneVsRest.bestThreshold(scores: stride(from: c, to: p.count, by: k).map { p[$0] }, relevant: targets.map { $0[c] })
                }
                head = head.scaled(by: a, shift: b, thresholds: thresholds)
                if settings.calibrate { report.calibration = (eceBefore, Trainer.multiLabelECE(p, targets: targets)) }
            }
        } else {
            let fit = regression.fit(x, labels: y, classCount: k, transposed: xt)
            (report.iterations, report.converged) = (fit.iterations, fit.converged)
            head = LinearHead(name: name, labels: labels, weights: fit.weights.map(Float.init), bias: fit.bias.map(Float.init))
            if useFolds {
                let z = Trainer.outOfFoldLogits(splits, rows: x.rowCount, k: k) { n in
                    let split = splits[n]
                    let f = foldRegression(split.train.count)
                        .fit(split.x, labels: split.train.map { y[$0] }, classCount: k, transposed: split.xt)
                    return LinearHead(name: name, labels: labels, weights: f.weights.map(Float.init), bias: f.bias.map(Float.init))
                }
                let a = Calibration.temperatureFactor(logits: z, labels: y, classCount: k)
                head = head.scaled(by: a)
                report.temperatureFactor = a
                report.calibration = (Trainer.softmaxECE(z, scale: 1, labels: y, k: k), Trainer.softmaxECE(z, scale: a, labels: y, k: k))
            }
        }
        var p = [Float](repeating: 0, count: k)
        var correct = 0
        for i in 0..<x.rowCount {
            let r = x.row(i)
            if head.predictedIndex(columns: r.columns, values: r.values, probabilities: &p) == Int(y[i]) { correct += 1 }
        }
        report.trainAccuracy = Double(correct) / Double(max(x.rowCount, 1))
        return (head, report)
    }

    /// Each row's raw scores (n × k, row-major) from the head `fit(n)`
    /// trains on split n, which holds the row out; the splits run in parallel.
    static func outOfFoldLogits(_ splits: [FoldSplit], rows: Int, k: Int, fit: (Int) -> LinearHead) -> [Float] {
        var z = [Float](repeating: 0, count: rows * k)
        z.withUnsafeMutableBufferPointer { zp in
            let zBase = zp.baseAddress!
            DispatchQueue.concurrentPerform(iterations: splits.count) { n in
                let head = fit(n)
                var out = [Float](repeating: 0, count: k)
                for (r, i) in splits[n].held.enumerated() {
                    let row = splits[n].xHeld.row(r)
                    head.logits(columns: row.columns, values: row.values, into: &out)
                    for c in 0..<k { zBase[i * k + c] = out[c] }
                }
            }
        }
        return z
    }

    static func softmaxECE(_ z: [Float], scale a: Double, labels: [Int32], k: Int) -> Double {
        var confidence: [Double] = [], correct: [Bool] = []
        for i in 0..<labels.count {
            let row = (0..<k).map { a * Double(z[i * k + $0]) }
            let best = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!
            let sum = row.map { Foundation.exp($0 - row[best]) }.reduce(0, +)
            confidence.append(1 / sum)
            correct.append(best == Int(labels[i]))
        }
        return Calibration.expectedCalibrationError(confidence: confidence, correct: correct)
    }

    /// ECE over every (sentence, label) sigmoid of a multi-label head.
    static func multiLabelECE(_ p: [Float], targets: [[Bool]]) -> Double {
        Calibration.perLabelCalibrationError(probabilities: p.map(Double.init), carries: targets.flatMap { $0 })
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
