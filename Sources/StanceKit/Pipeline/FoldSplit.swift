import Dispatch

/// One training/held-out split of a corpus, vectorized as a model trained on
/// the training rows alone would see it: vocabulary, min_df and idf come from
/// the training rows only, so held-out sentences lose the words only they
/// use, exactly as unseen sentences do at prediction time.
struct FoldSplit: Sendable {
    let train: [Int]
    let held: [Int]
    let vectorizer: FittedVectorizer
    let x: SparseMatrix
    let xt: SparseMatrix
    let xHeld: SparseMatrix

    /// `tokens` and `groups` cover the whole corpus; `train` and `held` are
    /// ascending row numbers (so neighbours within a document stay neighbours).
    init(tokens: [TokenBuffer], groups: [Int], train: [Int], held: [Int], settings: VectorizerSettings) throws {
        self.train = train
        self.held = held
        let trainTokens = train.map { tokens[$0] }, trainGroups = train.map { groups[$0] }
        vectorizer = try TfidfVectorizer(settings: settings).fit(trainTokens, groups: trainGroups)
        x = vectorizer.transform(trainTokens, groups: trainGroups)
        xt = x.transposed()
        xHeld = vectorizer.transform(held.map { tokens[$0] }, groups: held.map { groups[$0] })
    }

    /// The splits of K-fold cross-validation (`folds[i]` is row i's fold),
    /// vectorized in parallel.
    static func make(tokens: [TokenBuffer], groups: [Int], folds: [Int], settings: VectorizerSettings) throws -> [FoldSplit] {
        let ids = Set(folds).sorted()
        var out = [Result<FoldSplit, Error>?](repeating: nil, count: ids.count)
        out.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: ids.count) { n in
                base[n] = Result {
                    try FoldSplit(tokens: tokens, groups: groups, train: folds.indices.filter { folds[$0] != ids[n] },
                                  held: folds.indices.filter { folds[$0] == ids[n] }, settings: settings)
                }
            }
        }
        return try out.map { try $0!.get() }
    }
}
