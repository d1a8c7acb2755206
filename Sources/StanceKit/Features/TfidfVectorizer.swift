import Foundation

/// Settings of the TF-IDF features.
public struct VectorizerSettings: Sendable, Equatable {
    /// Word n-gram lengths, e.g. 1...2 for unigrams and bigrams.
    public var wordNgrams: ClosedRange<Int> = 1...2
    /// Character n-gram lengths within word boundaries (each word padded by a
    /// space on both sides, as scikit-learn's `char_wb`); nil for none.
    public var charNgrams: ClosedRange<Int>? = nil
    /// Keep a feature only when it occurs in at least `minDF` documents ...
    public var minDF: Int = 1
    /// ... and in at most `maxDF` × (number of documents) documents.
    public var maxDF: Double = 1.0
    /// Keep only the `maxFeatures` most frequent features (all when nil).
    public var maxFeatures: Int? = nil
    /// tf = 1 + ln(count) instead of count.
    public var sublinearTF: Bool = true
    public var tokenizer = Tokenizer()

    public init() {}
}

/// Learns a vocabulary and inverse document frequencies from a corpus.
///
/// For feature t in document d of a corpus of n documents:
///
///     tf(t, d)  = count(t, d)             or, with sublinearTF, 1 + ln count(t, d)
///     idf(t)    = ln((1 + n) / (1 + df(t))) + 1      (smoothed; df = documents holding t)
///     x(t, d)   = tf(t, d) · idf(t) / ‖tf(·, d) · idf(·)‖₂
///
/// Features are word n-grams (tokens joined by a space) and, optionally,
/// character n-grams of each padded word.
public struct TfidfVectorizer: Sendable {
    public var settings: VectorizerSettings

    public init(settings: VectorizerSettings = VectorizerSettings()) {
        self.settings = settings
    }

    /// Fits the vocabulary and idf to `documents` (already tokenized).
    public func fit(tokenized documents: [[String]]) throws -> FittedVectorizer {
        var df: [String: Int] = [:]
        var total: [String: Int] = [:]
        for doc in documents {
            var seen = Set<String>()
            FittedVectorizer.forEachFeature(of: doc, settings: settings) { f in
                total[f, default: 0] += 1
                if seen.insert(f).inserted { df[f, default: 0] += 1 }
            }
        }
        let n = documents.count
        let maxDocs = settings.maxDF >= 1 ? n : Int((settings.maxDF * Double(n)).rounded(.down))
        var kept = df.filter { $0.value >= settings.minDF && $0.value <= maxDocs }.map(\.key)
        if let cap = settings.maxFeatures, kept.count > cap {
            kept.sort { (total[$0]!, $1) > (total[$1]!, $0) }
            kept.removeLast(kept.count - cap)
        }
        guard !kept.isEmpty else {
            throw StanceError.emptyVocabulary("No feature occurs in at least min_df = \(settings.minDF) of the \(n) training sentences. Lower --min-df or add more text.")
        }
        kept.sort()
        let idf = kept.map { Float(log(Double(1 + n) / Double(1 + df[$0]!)) + 1) }
        return FittedVectorizer(settings: settings, terms: kept, idf: idf)
    }
}

/// A vectorizer with its learned vocabulary (`terms`, sorted) and `idf`.
public struct FittedVectorizer: Sendable {
    public let settings: VectorizerSettings
    public let terms: [String]
    public let idf: [Float]
    let index: [String: Int32]

    public init(settings: VectorizerSettings, terms: [String], idf: [Float]) {
        precondition(terms.count == idf.count)
        self.settings = settings
        self.terms = terms
        self.idf = idf
        var index = [String: Int32](minimumCapacity: terms.count)
        for (i, t) in terms.enumerated() { index[t] = Int32(i) }
        self.index = index
    }

    public var featureCount: Int { terms.count }

    public func tokenize(_ text: String) -> [String] { settings.tokenizer.tokenize(text) }

    /// The unit-length TF-IDF row of one tokenized document, columns ascending.
    public func vector(tokens: [String]) -> (columns: [Int32], values: [Float]) {
        var ids: [Int32] = []
        ids.reserveCapacity(tokens.count * 3)
        FittedVectorizer.forEachFeature(of: tokens, settings: settings) { f in
            if let i = index[f] { ids.append(i) }
        }
        return weigh(ids)
    }

    /// Counts, weighs and normalises a list of feature ids.
    func weigh(_ idsIn: [Int32]) -> (columns: [Int32], values: [Float]) {
        guard !idsIn.isEmpty else { return ([], []) }
        let ids = idsIn.sorted()
        var cols: [Int32] = []
        var vals: [Float] = []
        var k = 0
        while k < ids.count {
            var e = k + 1
            while e < ids.count, ids[e] == ids[k] { e += 1 }
            let count = Double(e - k)
            let tf = settings.sublinearTF ? 1 + log(count) : count
            cols.append(ids[k])
            vals.append(Float(tf * Double(idf[Int(ids[k])])))
            k = e
        }
        var norm: Float = 0
        for v in vals { norm += v * v }
        norm = norm.squareRoot()
        if norm > 0 { for i in vals.indices { vals[i] /= norm } }
        return (cols, vals)
    }

    /// The TF-IDF matrix of tokenized documents, one row each.
    public func transform(tokenized documents: [[String]]) -> SparseMatrix {
        var m = SparseMatrix(columnCount: featureCount)
        for doc in documents {
            let r = vector(tokens: doc)
            m.appendRow(columns: r.columns, values: r.values)
        }
        return m
    }

    static let charPrefix = "\u{1}"

    /// Calls `body` with every feature string of a tokenized document.
    static func forEachFeature(of tokens: [String], settings: VectorizerSettings, _ body: (String) -> Void) {
        let r = settings.wordNgrams
        if tokens.count > 0 {
            for n in r where n >= 1 && n <= tokens.count {
                if n == 1 {
                    for t in tokens { body(t) }
                } else {
                    for i in 0...(tokens.count - n) { body(tokens[i..<(i + n)].joined(separator: " ")) }
                }
            }
        }
        if let cr = settings.charNgrams {
            for t in tokens where t != "?" && t != "!" {
                let chars = Array((" " + t + " ").unicodeScalars)
                for n in cr where n >= 1 {
                    if chars.count <= n {
                        body(charPrefix + String(String.UnicodeScalarView(chars)))
                        break
                    }
                    for i in 0...(chars.count - n) {
                        body(charPrefix + String(String.UnicodeScalarView(chars[i..<(i + n)])))
                    }
                }
            }
        }
    }
}
