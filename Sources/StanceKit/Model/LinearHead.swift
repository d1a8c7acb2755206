import Foundation

/// One trained output of the model ("stance", "perspective", "claim") with
/// weights stored feature-major, so the K weights of one feature sit together
/// and a sparse row is scored in one pass.
///
/// A single-label head is a softmax over `labels`. A multi-label head has one
/// sigmoid per label (one-vs-rest), pᶜ = 1 / (1 + exp(−(x·wᶜ + bᶜ))), and a
/// threshold per label: every label whose probability reaches its threshold
/// is reported, the most probable first.
public struct LinearHead: Sendable, Equatable {
    public let name: String
    public let labels: [String]
    /// features × K, row-major.
    public let weights: [Float]
    public let bias: [Float]
    /// Per-label thresholds of a multi-label head; nil for a softmax head.
    public let thresholds: [Float]?

    public init(name: String, labels: [String], weights: [Float], bias: [Float], thresholds: [Float]? = nil) {
        precondition(bias.count == labels.count && weights.count % max(labels.count, 1) == 0)
        precondition(thresholds == nil || thresholds!.count == labels.count)
        self.name = name
        self.labels = labels
        self.weights = weights
        self.bias = bias
        self.thresholds = thresholds
    }

    public var isMultiLabel: Bool { thresholds != nil }

    public var featureCount: Int { labels.isEmpty ? 0 : weights.count / labels.count }

    /// Writes the label probabilities of one TF-IDF row into `probabilities`
    /// (length K): pᶜ = softmax(x·W + b)ᶜ, or σ(x·wᶜ + bᶜ) for a multi-label head.
    public func probabilities(columns: ArraySlice<Int32>, values: ArraySlice<Float>, into probabilities: inout [Float]) {
        logits(columns: columns, values: values, into: &probabilities)
        let k = labels.count
        probabilities.withUnsafeMutableBufferPointer { z in
            if thresholds != nil {
                for c in 0..<k { z[c] = 1 / (1 + Foundation.exp(-z[c])) }
                return
            }
            var mx = -Float.infinity
            for c in 0..<k { mx = max(mx, z[c]) }
            var sum: Float = 0
            for c in 0..<k { let e = Foundation.exp(z[c] - mx); z[c] = e; sum += e }
            for c in 0..<k { z[c] /= sum }
        }
    }

    /// Writes the raw scores x·W + b of one TF-IDF row into `logits` (length ≥ K).
    public func logits(columns: ArraySlice<Int32>, values: ArraySlice<Float>, into logits: inout [Float]) {
        let k = labels.count
        for c in 0..<k { logits[c] = bias[c] }
        weights.withUnsafeBufferPointer { w in
            logits.withUnsafeMutableBufferPointer { z in
                for (col, v) in zip(columns, values) {
                    let base = Int(col) * k
                    for c in 0..<k { z[c] += v * w[base + c] }
                }
            }
        }
    }

    /// A multi-label head's labels at or above their thresholds (and `best`),
    /// most probable first; nil for a softmax head.
    public func passingLabels(probabilities p: [Float], best: Int) -> [Int]? {
        guard let t = thresholds else { return nil }
        return (0..<labels.count).filter { $0 == best || p[$0] >= t[$0] }.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
    }

    /// The most probable label of one TF-IDF row (the first on a tie);
    /// `probabilities` (length ≥ K) is scratch and holds the probabilities after.
    public func predictedIndex(columns: ArraySlice<Int32>, values: ArraySlice<Float>, probabilities: inout [Float]) -> Int {
        self.probabilities(columns: columns, values: values, into: &probabilities)
        var best = 0
        for c in 1..<max(labels.count, 1) where probabilities[c] > probabilities[best] { best = c }
        return best
    }
}

/// The prediction of one head for one sentence.
public struct HeadPrediction: Sendable, Equatable {
    public var head: String
    public var label: String
    /// Probability of each label, in the head's label order.
    public var scores: [(label: String, probability: Float)]
    /// For a multi-label head: every label at or above its threshold, most
    /// probable first (always including `label`); nil otherwise.
    public var all: [String]? = nil

    public static func == (a: HeadPrediction, b: HeadPrediction) -> Bool {
        a.head == b.head && a.label == b.label && a.scores.map(\.label) == b.scores.map(\.label)
            && a.scores.map(\.probability) == b.scores.map(\.probability)
    }
}

/// A trained classifier: the vectorizer and one linear head per output.
/// Immutable: many threads may classify with one model at once.
public struct StanceModel: Sendable {
    public let vectorizer: FittedVectorizer
    public let heads: [LinearHead]
    public let metadata: ModelMetadata

    public init(vectorizer: FittedVectorizer, heads: [LinearHead], metadata: ModelMetadata) {
        for h in heads { precondition(h.featureCount == vectorizer.featureCount, "head \(h.name) has \(h.featureCount) features, vectorizer \(vectorizer.featureCount)") }
        self.vectorizer = vectorizer
        self.heads = heads
        self.metadata = metadata
    }

    /// Labels one sentence on every head.
    public func predict(_ text: String) -> [HeadPrediction] {
        var scratch = VectorizerScratch()
        return predict(text, scratch: &scratch)
    }

    /// Labels one sentence on every head, using the caller's scratch space
    /// (one per thread) so that nothing is shared and little is allocated.
    public func predict(_ text: String, scratch: inout VectorizerScratch) -> [HeadPrediction] {
        predict(text, previous: nil, next: nil, scratch: &scratch)
    }

    /// Labels one sentence of a document; `previous` and `next` are the
    /// sentences around it (used when the model has context features).
    public func predict(_ text: String, previous: String?, next: String?, scratch: inout VectorizerScratch) -> [HeadPrediction] {
        vectorizer.vectorize(text, previous: previous, next: next, scratch: &scratch)
        return scoreRow(&scratch)
    }

    /// Labels the sentences `range` of one document, tokenizing each sentence
    /// once even when its neighbours' words are features; `body` receives
    /// each sentence's index and predictions in order.
    public func predictDocument(_ texts: [String], range: Range<Int>, scratch: inout VectorizerScratch,
                                _ body: (Int, [HeadPrediction]) -> Void) {
        guard !range.isEmpty else { return }
        let tokenizer = vectorizer.settings.tokenizer
        let context = vectorizer.settings.context > 0
        var previous = TokenBuffer(), current = TokenBuffer(), next = TokenBuffer()
        var hasPrevious = false
        if context, range.lowerBound > 0 {
            tokenizer.tokenize(texts[range.lowerBound - 1], into: &previous)
            hasPrevious = true
        }
        tokenizer.tokenize(texts[range.lowerBound], into: &current)
        for i in range {
            let hasNext = context && i + 1 < texts.count
            if hasNext { tokenizer.tokenize(texts[i + 1], into: &next) }
            vectorizer.row(of: current, previous: hasPrevious ? previous : nil, next: hasNext ? next : nil, scratch: &scratch)
            body(i, scoreRow(&scratch))
            if context {
                swap(&previous, &current)
                swap(&current, &next)
                hasPrevious = true
            } else if i + 1 < range.upperBound {
                tokenizer.tokenize(texts[i + 1], into: &current)
            }
        }
    }

    /// Every head's prediction for the row left in `scratch`.
    func scoreRow(_ scratch: inout VectorizerScratch) -> [HeadPrediction] {
        var p = scratch.probabilities
        let needed = heads.map(\.labels.count).max() ?? 0
        if p.count < needed { p = [Float](repeating: 0, count: needed) }
        defer { scratch.probabilities = p }
        return heads.map { head in
            let best = head.predictedIndex(columns: scratch.columns[...], values: scratch.values[...], probabilities: &p)
            let k = head.labels.count
            var prediction = HeadPrediction(head: head.name, label: head.labels[best],
                                            scores: (0..<k).map { (head.labels[$0], p[$0]) })
            prediction.all = head.passingLabels(probabilities: p, best: best)?.map { head.labels[$0] }
            return prediction
        }
    }
}

extension StanceModel {
    /// A readable account of the model: provenance, settings, vocabulary, heads.
    public func summary() -> String {
        let m = metadata
        var s = "trained     \(m.created) with stance \(m.toolVersion)\n"
        s += "corpus      \(m.sentenceCount) sentences from \(m.corpusFiles.count) file(s), sha256 \(m.corpusHash)\n"
        s += "vocabulary  \(vectorizer.featureCount) features\n"
        for h in heads { s += "head        \(h.name): \(h.labels.joined(separator: ", "))\n" }
        for (k, v) in m.settings.sorted(by: { $0.key < $1.key }) { s += "setting     \(k) = \(v)\n" }
        for (k, v) in m.metrics.sorted(by: { $0.key < $1.key }) { s += "metric      \(k) = \(v)\n" }
        return s
    }
}

/// What the model file records about how the model was made.
public struct ModelMetadata: Sendable, Equatable {
    /// SHA-256 of the training corpus files, in the order given.
    public var corpusHash: String
    public var corpusFiles: [String]
    public var sentenceCount: Int
    /// Training settings as "key=value" strings (C, n-grams, class weighting...).
    public var settings: [String: String]
    /// Per-head training metrics, e.g. "stance.train_accuracy" = 0.97.
    public var metrics: [String: Double]
    /// ISO-8601 date of training (SOURCE_DATE_EPOCH when set, for reproducible files).
    public var created: String
    public var toolVersion: String

    public init(corpusHash: String = "", corpusFiles: [String] = [], sentenceCount: Int = 0,
                settings: [String: String] = [:], metrics: [String: Double] = [:], created: String = "",
                toolVersion: String = StanceVersion.current) {
        self.corpusHash = corpusHash
        self.corpusFiles = corpusFiles
        self.sentenceCount = sentenceCount
        self.settings = settings
        self.metrics = metrics
        self.created = created
        self.toolVersion = toolVersion
    }
}

public enum StanceVersion {
    public static let current = "0.1.0"
}
