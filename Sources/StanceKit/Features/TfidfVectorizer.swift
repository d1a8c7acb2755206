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
    /// Weight of the words of the previous and next sentence of the same
    /// document, as features of their own ("context"); 0 turns them off.
    public var context: Double = 0
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
/// character n-grams of each padded word (prefixed by U+0001 in the
/// vocabulary) and the words of the neighbouring sentences (prefixed by
/// U+0002 and "p" or "n"), whose idf is scaled by `context`:
///
///     x(t, d)   ∝ tf(t, d) · idf(t) · context      for a neighbour's word t
///
/// Features are found by a 64-bit FNV-1a hash of their UTF-8 bytes, computed
/// from the tokens without building strings.
public struct TfidfVectorizer: Sendable {
    public var settings: VectorizerSettings

    public init(settings: VectorizerSettings = VectorizerSettings()) {
        self.settings = settings
    }

    /// Tokenizes texts once, for fitting and transforming with several settings.
    public static func tokenize(_ texts: [String], with tokenizer: Tokenizer) -> [TokenBuffer] {
        var scratch = TokenBuffer()
        return texts.map { text in
            tokenizer.tokenize(text, into: &scratch)
            return scratch.compacted()
        }
    }

    public func fit(tokenized documents: [[String]]) throws -> FittedVectorizer {
        try fit(documents.map(TokenBuffer.init(tokens:)))
    }

    /// Fits the vocabulary and idf to tokenized sentences. `groups` gives each
    /// sentence's document (consecutive sentences of one document share a
    /// value), for context features; nil means every sentence stands alone.
    public func fit(_ documents: [TokenBuffer], groups: [Int]? = nil) throws -> FittedVectorizer {
        var slots: [UInt64: Int32] = [:]
        var df: [Int32] = [], total: [Int] = [], lastDoc: [Int32] = [], strings: [String] = []
        var starts: [Int] = []
        let neighbours = Neighbours(groups: groups, count: documents.count, enabled: settings.context > 0)
        for (d, doc) in documents.enumerated() {
            FeatureHashing.forEachFeature(of: doc, previous: neighbours.previous(d).map { documents[$0] },
                                          next: neighbours.next(d).map { documents[$0] },
                                          settings: settings, starts: &starts) { h, make in
                if let s = slots[h] {
                    let i = Int(s)
                    total[i] += 1
                    if lastDoc[i] != Int32(d) { df[i] += 1; lastDoc[i] = Int32(d) }
                } else {
                    slots[h] = Int32(strings.count)
                    strings.append(make())
                    df.append(1); total.append(1); lastDoc.append(Int32(d))
                }
            }
        }
        let n = documents.count
        let maxDocs = settings.maxDF >= 1 ? n : Int((settings.maxDF * Double(n)).rounded(.down))
        var kept = strings.indices.filter { Int(df[$0]) >= settings.minDF && Int(df[$0]) <= maxDocs }
        if let cap = settings.maxFeatures, kept.count > cap {
            kept.sort { total[$0] != total[$1] ? total[$0] > total[$1] : strings[$0] < strings[$1] }
            kept.removeLast(kept.count - cap)
        }
        guard !kept.isEmpty else {
            throw StanceError.emptyVocabulary("No feature occurs in at least min_df = \(settings.minDF) of the \(n) training sentences. Lower --min-df or add more text.")
        }
        kept.sort { strings[$0] < strings[$1] }
        let idf = kept.map { i -> Float in
            let base = log(Double(1 + n) / Double(1 + Int(df[i]))) + 1
            return Float(strings[i].utf8.first == FeatureHashing.contextMarker ? base * settings.context : base)
        }
        return FittedVectorizer(settings: settings, terms: kept.map { strings[$0] }, idf: idf)
    }
}

/// Which sentence comes before and after each one within its document.
struct Neighbours {
    let groups: [Int]?
    let count: Int
    let enabled: Bool

    func previous(_ i: Int) -> Int? {
        guard enabled, i > 0 else { return nil }
        if let g = groups, g[i - 1] != g[i] { return nil }
        return groups == nil ? nil : i - 1
    }

    func next(_ i: Int) -> Int? {
        guard enabled, i + 1 < count else { return nil }
        if let g = groups, g[i + 1] != g[i] { return nil }
        return groups == nil ? nil : i + 1
    }
}

/// Per-thread scratch space for vectorizing and scoring sentences.
public struct VectorizerScratch: Sendable {
    var tokens = TokenBuffer()
    var previous = TokenBuffer()
    var next = TokenBuffer()
    var ids: [Int32] = []
    var hashes: [UInt64] = []
    var starts: [Int] = []
    public internal(set) var columns: [Int32] = []
    public internal(set) var values: [Float] = []
    var probabilities: [Float] = []
    public init() {}
}

/// A vectorizer with its learned vocabulary (`terms`, sorted) and `idf`.
public struct FittedVectorizer: Sendable {
    public let settings: VectorizerSettings
    public let terms: [String]
    public let idf: [Float]
    let index: FeatureIndex

    public init(settings: VectorizerSettings, terms: [String], idf: [Float]) {
        precondition(terms.count == idf.count)
        self.settings = settings
        self.terms = terms
        self.idf = idf
        self.index = FeatureIndex(hashes: terms.map { t in
            t.utf8.withContiguousStorageIfAvailable { FNV1a.hash($0) } ?? FNV1a.hash(Array(t.utf8)[...])
        })
    }

    public var featureCount: Int { terms.count }

    /// The unit-length TF-IDF row of `text`, left in `scratch.columns` and
    /// `scratch.values` (columns ascending). The neighbouring sentences are
    /// used only when the model has context features.
    public func vectorize(_ text: String, previous: String? = nil, next: String? = nil, scratch: inout VectorizerScratch) {
        settings.tokenizer.tokenize(text, into: &scratch.tokens)
        let useContext = settings.context > 0
        if useContext, let previous { settings.tokenizer.tokenize(previous, into: &scratch.previous) }
        if useContext, let next { settings.tokenizer.tokenize(next, into: &scratch.next) }
        let tokens = scratch.tokens, p = scratch.previous, n = scratch.next
        row(of: tokens, previous: useContext && previous != nil ? p : nil, next: useContext && next != nil ? n : nil, scratch: &scratch)
    }

    func row(of tokens: TokenBuffer, previous: TokenBuffer? = nil, next: TokenBuffer? = nil, scratch: inout VectorizerScratch) {
        // Moved out, not copied, so that the appends below reuse its storage.
        var ids: [Int32] = []
        swap(&ids, &scratch.ids)
        ids.removeAll(keepingCapacity: true)
        // Hash every feature first, then look them all up: the look-ups miss
        // the cache, and a tight loop of them lets several misses overlap.
        var hashes: [UInt64] = []
        swap(&hashes, &scratch.hashes)
        hashes.removeAll(keepingCapacity: true)
        FeatureHashing.forEachFeature(of: tokens, previous: previous, next: next, settings: settings, starts: &scratch.starts) { h, _ in
            hashes.append(h)
        }
        index.lookup(hashes, into: &ids)
        scratch.hashes = hashes
        scratch.ids = ids
        weigh(&scratch)
    }

    public func vector(tokens: [String]) -> (columns: [Int32], values: [Float]) {
        var scratch = VectorizerScratch()
        row(of: TokenBuffer(tokens: tokens), scratch: &scratch)
        return (scratch.columns, scratch.values)
    }

    /// Counts, weighs and normalises `scratch.ids` into `scratch.columns` / `values`.
    func weigh(_ s: inout VectorizerScratch) {
        s.columns.removeAll(keepingCapacity: true)
        s.values.removeAll(keepingCapacity: true)
        guard !s.ids.isEmpty else { return }
        if s.ids.count <= 64 {
            // A sentence's few ids: insertion sort beats the general sort's set-up.
            s.ids.withUnsafeMutableBufferPointer { a in
                for i in 1..<a.count {
                    let x = a[i]
                    var j = i
                    while j > 0, a[j - 1] > x { a[j] = a[j - 1]; j -= 1 }
                    a[j] = x
                }
            }
        } else {
            s.ids.sort()
        }
        var k = 0
        var norm: Float = 0
        let ids = s.ids
        while k < ids.count {
            var e = k + 1
            while e < ids.count, ids[e] == ids[k] { e += 1 }
            let count = Float(e - k)
            // ln 1 = 0 exactly, so a single occurrence needs no logarithm.
            let tf = settings.sublinearTF ? (e - k == 1 ? 1 : 1 + Foundation.log(count)) : count
            let v = tf * idf[Int(ids[k])]
            s.columns.append(ids[k])
            s.values.append(v)
            norm += v * v
            k = e
        }
        norm = norm.squareRoot()
        if norm > 0 { for i in s.values.indices { s.values[i] /= norm } }
    }

    public func transform(tokenized documents: [[String]]) -> SparseMatrix {
        transform(documents.map(TokenBuffer.init(tokens:)))
    }

    /// The TF-IDF matrix of tokenized sentences, one row each (`groups` as for `fit`).
    public func transform(_ documents: [TokenBuffer], groups: [Int]? = nil) -> SparseMatrix {
        var m = SparseMatrix(columnCount: featureCount)
        var scratch = VectorizerScratch()
        let neighbours = Neighbours(groups: groups, count: documents.count, enabled: settings.context > 0)
        for (d, doc) in documents.enumerated() {
            row(of: doc, previous: neighbours.previous(d).map { documents[$0] }, next: neighbours.next(d).map { documents[$0] },
                scratch: &scratch)
            m.appendRow(columns: scratch.columns, values: scratch.values)
        }
        return m
    }
}

/// Hash → column look-up by open addressing (linear probing; 0 marks an
/// empty slot). A slot's key and column sit side by side, so a look-up
/// touches one cache line: on a large vocabulary the look-ups are cache misses.
struct FeatureIndex: Sendable {
    /// Slot i: key at 2i, column at 2i + 1.
    private var slots: [UInt64]
    private let mask: Int

    init(hashes: [UInt64]) {
        var cap = 16
        while cap < hashes.count * 2 { cap *= 2 }
        slots = [UInt64](repeating: 0, count: 2 * cap)
        mask = cap - 1
        for (i, h0) in hashes.enumerated() {
            let h = h0 == 0 ? 1 : h0
            var slot = Int(truncatingIfNeeded: h >> 7) & mask
            while slots[2 * slot] != 0 && slots[2 * slot] != h { slot = (slot + 1) & mask }
            if slots[2 * slot] == 0 { slots[2 * slot] = h; slots[2 * slot + 1] = UInt64(i) }
        }
    }

    /// Appends the column of each hash found, in order.
    func lookup(_ hashes: [UInt64], into ids: inout [Int32]) {
        slots.withUnsafeBufferPointer { s in
            for h0 in hashes {
                let h = h0 == 0 ? 1 : h0
                var slot = Int(truncatingIfNeeded: h >> 7) & mask
                while true {
                    let k = s[2 * slot]
                    if k == h { ids.append(Int32(truncatingIfNeeded: s[2 * slot + 1])); break }
                    if k == 0 { break }
                    slot = (slot + 1) & mask
                }
            }
        }
    }
}

/// Enumerates the features of a tokenized text as hashes.
enum FeatureHashing {
    static let charMarker: UInt8 = 0x01
    static let contextMarker: UInt8 = 0x02

    /// Calls `body(hash, string)` for each feature; `string()` builds the
    /// feature's text (only fitting needs it).
    @inline(__always)
    static func forEachFeature(of t: TokenBuffer, previous: TokenBuffer? = nil, next: TokenBuffer? = nil,
                               settings: VectorizerSettings, starts: inout [Int],
                               _ body: (UInt64, () -> String) -> Void) {
        func context(_ neighbour: TokenBuffer?, _ side: UInt8) {
            guard let c = neighbour else { return }
            let start = FNV1a.step(FNV1a.step(FNV1a.basis, contextMarker), side)
            for k in 0..<c.count {
                body(FNV1a.hash(c.bytes[c.start(k)..<c.ends[k]], from: start)) {
                    String(decoding: [contextMarker, side] + c.bytes[c.start(k)..<c.ends[k]], as: UTF8.self)
                }
            }
        }
        context(previous, 0x70)   // "p"
        context(next, 0x6E)       // "n"
        let n = t.count
        let bytes = t.bytes
        for len in settings.wordNgrams where len >= 1 && len <= n {
            for i in 0...(n - len) {
                var h = FNV1a.basis
                for k in i..<(i + len) {
                    if k > i { h = FNV1a.step(h, 0x20) }
                    h = FNV1a.hash(bytes[t.start(k)..<t.ends[k]], from: h)
                }
                body(h) { (i..<(i + len)).map { t.string($0) }.joined(separator: " ") }
            }
        }
        guard let range = settings.charNgrams else { return }
        for k in 0..<n {
            let a = t.start(k), b = t.ends[k]
            if b - a == 1, bytes[a] == 0x3F || bytes[a] == 0x21 { continue }  // "?" and "!"
            // Scalar boundaries in the padded word " " + token + " ", as offsets
            // into that virtual byte string; the last entry is its end.
            starts.removeAll(keepingCapacity: true)
            starts.append(0)
            for p in a..<b where bytes[p] & 0xC0 != 0x80 { starts.append(1 + p - a) }
            starts.append(1 + b - a)
            starts.append(2 + b - a)
            let chars = starts.count - 1
            @inline(__always) func paddedByte(_ p: Int) -> UInt8 { p == 0 || p == b - a + 1 ? 0x20 : bytes[a + p - 1] }
            for len in range where len >= 1 {
                let whole = chars <= len
                let last = whole ? 0 : chars - len
                for i in 0...last {
                    let from = starts[i], to = whole ? starts[chars] : starts[i + len]
                    var h = FNV1a.step(FNV1a.basis, charMarker)
                    for p in from..<to { h = FNV1a.step(h, paddedByte(p)) }
                    body(h) { String(decoding: [charMarker] + (from..<to).map(paddedByte), as: UTF8.self) }
                }
                if whole { break }
            }
        }
    }
}

extension TokenBuffer {
    /// A buffer holding `tokens` as they are (no tokenizing).
    init(tokens: [String]) {
        self.init()
        for t in tokens { append(bytes: Array(t.utf8)) }
    }

    /// A copy without the tokenizer's scratch space, for keeping many.
    func compacted() -> TokenBuffer {
        var t = TokenBuffer()
        t.replace(bytes: bytes, ends: ends)
        return t
    }
}
