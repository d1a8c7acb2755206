/// Splits text into lowercase word tokens.
///
/// - Letters and digits form words; a hyphen, period or comma between two
///   word characters stays inside the word, so "Tianwen-1", "500-metre",
///   "3.5" and "1,000" are one token each; so do the periods of an initialism
///   ("U.S.", "a.m.").
/// - Contractions split into the word and its clitic: "don't" → "do", "n't";
///   "Russia's" → "russia", "'s"; "they've" → "they", "'ve".
/// - "?" and "!" are tokens of their own: they mark questions and exclamations.
/// - British and American spellings fold to one form (see `SpellingVariants`).
///
/// Tokens are written as UTF-8 into a reusable `TokenBuffer`, so tokenizing
/// allocates nothing once the buffer has grown to size.
public struct Tokenizer: Sendable, Equatable {
    public var lowercase: Bool
    public var foldSpelling: Bool

    public init(lowercase: Bool = true, foldSpelling: Bool = true) {
        self.lowercase = lowercase
        self.foldSpelling = foldSpelling
    }

    public func tokenize(_ text: String) -> [String] {
        var buffer = TokenBuffer()
        tokenize(text, into: &buffer)
        return (0..<buffer.count).map { buffer.string($0) }
    }

    /// Replaces the contents of `buffer` with the tokens of `text`.
    public func tokenize(_ text: String, into buffer: inout TokenBuffer) {
        buffer.scalars.removeAll(keepingCapacity: true)
        for s in text.unicodeScalars { buffer.scalars.append(s) }
        tokenizeScalars(count: buffer.scalars.count, into: &buffer)
    }

    /// As `tokenize(_:into:)` for text given as valid UTF-8, without making a String.
    public func tokenize(utf8 text: UnsafeBufferPointer<UInt8>, into buffer: inout TokenBuffer) {
        let n = text.count
        // Grown once and written through a pointer; `count` scalars are used.
        if buffer.scalars.count < n { buffer.scalars.append(contentsOf: repeatElement(" ", count: n - buffer.scalars.count)) }
        let count = buffer.scalars.withUnsafeMutableBufferPointer { out -> Int in
            var i = 0, m = 0
            while i < n {
                let b0 = UInt32(text[i])
                var v: UInt32
                if b0 < 0x80 {
                    v = b0; i += 1
                } else if b0 < 0xE0 {
                    v = (b0 & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F); i += 2
                } else if b0 < 0xF0 {
                    v = (b0 & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F); i += 3
                } else {
                    v = (b0 & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6 | UInt32(text[i + 3] & 0x3F)
                    i += 4
                }
                out[m] = Unicode.Scalar(v) ?? "\u{FFFD}"
                m += 1
            }
            return m
        }
        tokenizeScalars(count: count, into: &buffer)
    }

    /// Tokenizes the first `count` of `buffer.scalars`.
    private func tokenizeScalars(count: Int, into buffer: inout TokenBuffer) {
        buffer.removeAll()
        let all = buffer.scalars
        // Moved out, not copied, so that the appends below reuse its storage.
        var word: [UInt8] = []
        swap(&word, &buffer.word)
        defer { buffer.word = word }
        all.withUnsafeBufferPointer { allScalars in
        let scalars = UnsafeBufferPointer(rebasing: allScalars[..<count])
        let n = count
        var i = 0
        while i < n {
            let c = scalars[i]
            if c == "?" || c == "!" {
                buffer.append(byte: UInt8(c.value))
                i += 1
                continue
            }
            guard Tokenizer.isWordScalar(c) else { i += 1; continue }
            word.removeAll(keepingCapacity: true)
            var j = i
            var hasDot = false
            while j < n {
                let s = scalars[j]
                if s.value < 0x80 {
                    // ASCII letters and digits, the common case, without the Unicode tables.
                    let v = UInt8(s.value)
                    let l = v | 0x20
                    if l >= 97 && l <= 122 {
                        word.append(lowercase ? l : v)
                        j += 1
                        continue
                    }
                    if v >= 48 && v <= 57 {
                        word.append(v)
                        j += 1
                        continue
                    }
                }
                if Tokenizer.isWordScalar(s) {
                    appendLowered(s, to: &word)
                    j += 1
                } else if Tokenizer.isJoiner(s), j + 1 < n, Tokenizer.isWordScalar(scalars[j + 1]), j > i,
                          s == "-" || s == "\u{2010}" || s == "\u{2011}"
                            || (Tokenizer.isDigit(scalars[j - 1]) && Tokenizer.isDigit(scalars[j + 1]))
                            || (s == "." && Tokenizer.isInitialism(scalars, from: i, dot: j)) {
                    if s == "." { hasDot = true }
                    word.append(s.isASCII ? UInt8(s.value) : 0x2D)  // U+2010/2011 become "-"
                    j += 1
                } else {
                    break
                }
            }
            // An initialism such as "U.S." keeps its final period.
            if j < n, scalars[j] == ".", hasDot, Tokenizer.isInitialism(scalars, from: i, dot: j) {
                word.append(0x2E)
                j += 1
            }
            // Contractions: split off the clitic after an apostrophe.
            if j + 1 < n, Tokenizer.isApostrophe(scalars[j]), Tokenizer.isLetter(scalars[j + 1]) {
                var k = j + 1
                let cliticStart = word.count
                word.append(0x27)
                while k < n, Tokenizer.isLetter(scalars[k]) { appendLowered(scalars[k], to: &word); k += 1 }
                let clitic = word[cliticStart...]
                if clitic.elementsEqual([0x27, 0x74]), cliticStart > 0, word[cliticStart - 1] == 0x6E {
                    // don't → do + n't, can't → ca + n't (as the Penn Treebank splits it)
                    emit(word[0..<(cliticStart - 1)], into: &buffer)
                    buffer.append(bytes: [0x6E, 0x27, 0x74])
                } else if Tokenizer.clitics.contains(where: { $0.elementsEqual(clitic) }) {
                    emit(word[0..<cliticStart], into: &buffer)
                    buffer.append(bytes: clitic)
                } else {
                    // O'Neill, Xi'an: the apostrophe is part of a name.
                    emit(word[...], into: &buffer)
                }
                i = k
                continue
            }
            emit(word[...], into: &buffer)
            i = j
        }
        }
    }

    @inline(__always)
    private func emit(_ token: ArraySlice<UInt8>, into buffer: inout TokenBuffer) {
        guard !token.isEmpty else { return }
        if foldSpelling {
            SpellingVariants.fold(token, into: &buffer)
        } else {
            buffer.append(bytes: token)
        }
    }

    @inline(__always)
    private func appendLowered(_ s: Unicode.Scalar, to word: inout [UInt8]) {
        if s.isASCII {
            let v = UInt8(s.value)
            word.append(lowercase && v >= 65 && v <= 90 ? v + 32 : v)
        } else if lowercase, s.properties.changesWhenLowercased {
            for l in s.properties.lowercaseMapping.unicodeScalars { TokenBuffer.appendUTF8(l, to: &word) }
        } else {
            TokenBuffer.appendUTF8(s, to: &word)
        }
    }

    static let clitics: [[UInt8]] = ["'s", "'re", "'ve", "'ll", "'d", "'m"].map { Array($0.utf8) }

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
    static func isInitialism(_ s: UnsafeBufferPointer<Unicode.Scalar>, from start: Int, dot: Int) -> Bool {
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

/// Tokens as UTF-8 bytes back to back, with scratch space the tokenizer
/// reuses. One per thread.
public struct TokenBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Token k is `bytes[start(k)..<ends[k]]`.
    public private(set) var ends: [Int] = []
    var scalars: [Unicode.Scalar] = []
    var word: [UInt8] = []

    public init() {}

    public var count: Int { ends.count }
    @inline(__always) public func start(_ k: Int) -> Int { k == 0 ? 0 : ends[k - 1] }
    public func string(_ k: Int) -> String { String(decoding: bytes[start(k)..<ends[k]], as: UTF8.self) }

    mutating func replace(bytes: [UInt8], ends: [Int]) {
        self.bytes = bytes
        self.ends = ends
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    mutating func append(byte: UInt8) {
        bytes.append(byte)
        ends.append(bytes.count)
    }

    mutating func append<C: Collection>(bytes token: C) where C.Element == UInt8 {
        bytes.append(contentsOf: token)
        ends.append(bytes.count)
    }

    /// Appends bytes to the token being built; `endToken` closes it.
    mutating func appendPart<C: Collection>(_ part: C) where C.Element == UInt8 { bytes.append(contentsOf: part) }

    /// As the generic `append(bytes:)` and `appendPart(_:)`, copying the slice's storage at once.
    mutating func append(bytes token: ArraySlice<UInt8>) {
        token.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
        ends.append(bytes.count)
    }

    mutating func appendPart(_ part: ArraySlice<UInt8>) { part.withUnsafeBufferPointer { bytes.append(contentsOf: $0) } }
    mutating func endToken() { ends.append(bytes.count) }

    @inline(__always)
    static func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
        let v = s.value
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
