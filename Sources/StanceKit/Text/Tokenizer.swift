/// Splits text into lowercase word tokens.
///
/// - Letters and digits form words; a hyphen, period or comma between two
///   word characters stays inside the word, so "Tianwen-1", "500-metre",
///   "3.5" and "1,000" are one token each.
/// - Contractions split into the word and its clitic: "don't" → "do", "n't";
///   "Russia's" → "russia", "'s"; "they've" → "they", "'ve".
/// - "?" and "!" are tokens of their own: they mark questions and exclamations.
/// - British and American spellings fold to one form (see `SpellingVariants`).
public struct Tokenizer: Sendable, Equatable {
    public var lowercase: Bool
    public var foldSpelling: Bool

    public init(lowercase: Bool = true, foldSpelling: Bool = true) {
        self.lowercase = lowercase
        self.foldSpelling = foldSpelling
    }

    public func tokenize(_ text: String) -> [String] {
        var out: [String] = []
        out.reserveCapacity(text.utf8.count / 5 + 1)
        forEachToken(in: text) { out.append($0) }
        return out
    }

    /// Calls `body` with each token in order.
    public func forEachToken(in text: String, _ body: (String) -> Void) {
        let scalars = Array(text.unicodeScalars)
        let n = scalars.count
        var i = 0
        var word = String.UnicodeScalarView()
        while i < n {
            let c = scalars[i]
            if c == "?" || c == "!" {
                body(String(c))
                i += 1
                continue
            }
            guard Tokenizer.isWordScalar(c) else { i += 1; continue }
            word.removeAll(keepingCapacity: true)
            var j = i
            while j < n {
                let s = scalars[j]
                if Tokenizer.isWordScalar(s) {
                    appendLowered(s, to: &word)
                    j += 1
                } else if Tokenizer.isJoiner(s), j + 1 < n, Tokenizer.isWordScalar(scalars[j + 1]), j > i,
                          s == "-" || s == "\u{2010}" || s == "\u{2011}"
                            || (Tokenizer.isDigit(scalars[j - 1]) && Tokenizer.isDigit(scalars[j + 1]))
                            || (s == "." && Tokenizer.isInitialism(scalars, from: i, dot: j)) {
                    word.append(s == "\u{2010}" || s == "\u{2011}" ? "-" : s)
                    j += 1
                } else {
                    break
                }
            }
            // An initialism such as "U.S." keeps its final period.
            if j < n, scalars[j] == ".", Tokenizer.isInitialism(scalars, from: i, dot: j), word.contains(".") {
                word.append(".")
                j += 1
            }
            // Contractions: split off the clitic after an apostrophe.
            if j + 1 < n, Tokenizer.isApostrophe(scalars[j]), Tokenizer.isLetter(scalars[j + 1]) {
                var k = j + 1
                var clitic = String.UnicodeScalarView(["'"])
                while k < n, Tokenizer.isLetter(scalars[k]) { appendLowered(scalars[k], to: &clitic); k += 1 }
                let cl = String(clitic)
                var stem = String(word)
                if cl == "'t", stem.hasSuffix("n") {
                    // don't → do + n't, can't → ca + n't (as the Penn Treebank splits it)
                    stem.removeLast()
                    emit(stem, body)
                    body("n't")
                } else if Tokenizer.clitics.contains(cl) {
                    emit(stem, body)
                    body(cl)
                } else {
                    // O'Neill, Xi'an: the apostrophe is part of a name.
                    emit(stem + cl, body)
                }
                i = k
                continue
            }
            emit(String(word), body)
            i = j
        }
    }

    @inline(__always)
    private func emit(_ token: String, _ body: (String) -> Void) {
        guard !token.isEmpty else { return }
        body(foldSpelling ? SpellingVariants.fold(token) : token)
    }

    @inline(__always)
    private func appendLowered(_ s: Unicode.Scalar, to word: inout String.UnicodeScalarView) {
        guard lowercase else { word.append(s); return }
        if s.isASCII {
            let v = s.value
            word.append(v >= 65 && v <= 90 ? Unicode.Scalar(v + 32)! : s)
        } else if s.properties.changesWhenLowercased {
            word.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
        } else {
            word.append(s)
        }
    }

    static let clitics: Set<String> = ["'s", "'re", "'ve", "'ll", "'d", "'m"]

    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }

    @inline(__always) static func isLetter(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { let v = s.value | 0x20; return v >= 97 && v <= 122 }
        return s.properties.isAlphabetic
    }

    @inline(__always) static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 48 && v <= 57) || ((v | 0x20) >= 97 && (v | 0x20) <= 122)
        }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    @inline(__always) static func isJoiner(_ s: Unicode.Scalar) -> Bool {
        s == "-" || s == "." || s == "," || s == "\u{2010}" || s == "\u{2011}"
    }

    @inline(__always) static func isApostrophe(_ s: Unicode.Scalar) -> Bool { s == "'" || s == "\u{2019}" }

    /// True when the period at `dot` belongs to single letters separated by
    /// periods, as in "U.S." or "a.m.".
    static func isInitialism(_ s: [Unicode.Scalar], from start: Int, dot: Int) -> Bool {
        // s[start..<dot] must read letter(.letter)*
        var k = start
        while true {
            guard k < dot, isLetter(s[k]) else { return false }
            if k + 1 == dot { break }
            guard s[k + 1] == "." else { return false }
            k += 2
        }
        // When the period continues the word, the next letter must stand alone too.
        if dot + 1 < s.count, isLetter(s[dot + 1]) {
            return dot + 2 >= s.count || !isWordScalar(s[dot + 2])
        }
        return true
    }
}
