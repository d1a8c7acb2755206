/// A stretch of transcript text as it arrives: one line of a plain-text file,
/// or one subtitle cue. Timed and attributed when the source says so.
public struct TextPiece: Sendable, Equatable {
    public var text: String
    public var start: Double?
    public var end: Double?
    public var speaker: String?
    /// A paragraph break (a blank line, a new speaker turn) precedes this piece:
    /// no sentence runs across it.
    public var breakBefore: Bool

    public init(text: String, start: Double? = nil, end: Double? = nil, speaker: String? = nil, breakBefore: Bool = false) {
        self.text = text
        self.start = start
        self.end = end
        self.speaker = speaker
        self.breakBefore = breakBefore
    }
}

/// One sentence found by the segmenter, with the time span and speaker of
/// the pieces it came from.
public struct Sentence: Sendable, Equatable {
    public var text: String
    public var start: Double?
    public var end: Double?
    public var speaker: String?

    public init(text: String, start: Double? = nil, end: Double? = nil, speaker: String? = nil) {
        self.text = text
        self.start = start
        self.end = end
        self.speaker = speaker
    }
}

/// Splits transcripts into sentences.
///
/// Wrapped subtitle lines are joined first; sentences then end at `.`, `?`,
/// `!` or an ellipsis followed by a space and a word that can start a sentence.
/// Abbreviations ("Mr.", "Dr.", "U.S.", "a.m."), initials, decimals and
/// numbers ("No. 5") do not end a sentence; closing quotes and brackets stay
/// with the sentence they close. A speaker change or a blank line always
/// ends a sentence.
public struct SentenceSegmenter: Sendable {
    public init() {}

    /// Segments plain text: one piece per line; blank lines are paragraph
    /// breaks; a first line of page boilerplate is dropped (see
    /// `isBoilerplate(first:next:)`).
    public func segment(text: String) -> [Sentence] {
        segment(pieces: SentenceSegmenter.pieces(fromPlainText: text))
    }

    /// Turns plain text into line pieces, dropping a boilerplate first line.
    public static func pieces(fromPlainText text: String) -> [TextPiece] {
        var pieces: [TextPiece] = []
        var pendingBreak = false
        for raw in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = Substring(raw).trimmingWhitespace()  // also drops a "\r" before the "\n"
            if line.isEmpty { pendingBreak = true; continue }
            pieces.append(TextPiece(text: String(line), breakBefore: pendingBreak))
            pendingBreak = false
        }
        if pieces.count >= 2, isBoilerplate(first: pieces[0].text, next: pieces[1].text) {
            pieces.removeFirst()
        }
        return pieces
    }

    /// A first line is page boilerplate ("Subtitles section Play video", a
    /// title) when it has no sentence-final punctuation, is short, does not
    /// end in a word that must be continued ("the", "of", a comma), and the
    /// next line starts a sentence of its own (a capital letter).
    public static func isBoilerplate(first: String, next: String) -> Bool {
        let f = first.trimmingWhitespace()
        guard let last = f.unicodeScalars.last, !sentenceFinal.contains(last), !closers.contains(last),
              last != ",", last != "-", last != ":", last != ";" else { return false }
        let words = f.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !words.isEmpty, words.count <= 8 else { return false }
        if let w = words.last, continuationWords.contains(w.lowercased()) { return false }
        guard let n = next.trimmingWhitespace().unicodeScalars.first else { return false }
        return n.properties.isUppercase || n == "\"" || n == "\u{201C}"
    }

    /// Segments pieces into sentences. A sentence's `start` is the time at its
    /// first character and `end` the time at its last, interpolated within a
    /// piece in proportion to the text before it; so a sentence spanning
    /// several cues runs from the first cue's start to the last cue's end, and
    /// sentences sharing a cue share its span by length.
    public func segment(pieces: [TextPiece]) -> [Sentence] {
        var sentences: [Sentence] = []
        var groupStart = 0
        for i in 0...pieces.count {
            let isEnd = i == pieces.count
            if isEnd || (i > groupStart && (pieces[i].breakBefore || pieces[i].speaker != pieces[i - 1].speaker)) {
                if i > groupStart { segmentGroup(pieces[groupStart..<i], into: &sentences) }
                groupStart = i
            }
        }
        return sentences
    }

    private func segmentGroup(_ group: ArraySlice<TextPiece>, into out: inout [Sentence]) {
        // Join the pieces with single spaces, remembering where each begins.
        var scalars: [Unicode.Scalar] = []
        var pieceStarts: [Int] = []
        for piece in group {
            let t = piece.text.trimmingWhitespace()
            if t.isEmpty { continue }
            if !scalars.isEmpty { scalars.append(" ") }
            pieceStarts.append(scalars.count)
            for u in t.unicodeScalars { scalars.append(u) }
        }
        let timed = group.filter { !$0.text.trimmingWhitespace().isEmpty }
        for range in SentenceSegmenter.sentenceRanges(scalars) {
            var s = Sentence(text: String(scalars: scalars[range]), speaker: group.first?.speaker)
            s.start = time(at: range.lowerBound, pieceStarts: pieceStarts, pieces: timed, total: scalars.count, isEnd: false)
            s.end = time(at: range.upperBound, pieceStarts: pieceStarts, pieces: timed, total: scalars.count, isEnd: true)
            out.append(s)
        }
    }

    private func time(at offset: Int, pieceStarts: [Int], pieces: [TextPiece], total: Int, isEnd: Bool) -> Double? {
        guard !pieceStarts.isEmpty else { return nil }
        // The piece holding the offset (for an end offset, the piece holding the last character).
        let probe = isEnd ? max(offset - 1, 0) : offset
        var p = 0
        while p + 1 < pieceStarts.count, pieceStarts[p + 1] <= probe { p += 1 }
        guard let a = pieces[p].start, let b = pieces[p].end else { return nil }
        let from = pieceStarts[p]
        let to = p + 1 < pieceStarts.count ? pieceStarts[p + 1] - 1 : total
        let length = max(to - from, 1)
        let fraction = min(max(Double(offset - from) / Double(length), 0), 1)
        return a + (max(b, a) - a) * fraction
    }

    // MARK: - Finding sentence ends

    static let sentenceFinal: Set<Unicode.Scalar> = [".", "?", "!", "\u{2026}", "\u{203D}"]
    static let closers: Set<Unicode.Scalar> = ["\"", "'", "\u{201D}", "\u{2019}", ")", "]", "\u{00BB}"]
    static let openers: Set<Unicode.Scalar> = ["\"", "'", "\u{201C}", "\u{2018}", "(", "[", "\u{00AB}", "\u{00BF}", "\u{00A1}"]

    /// Titles and other abbreviations that are never the end of a sentence.
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gen", "col", "lt", "capt", "cpt", "sgt", "maj",
        "adm", "cmdr", "gov", "pres", "rev", "hon", "st", "mt", "ft", "vs", "cf", "fig", "approx",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vol",
    ]

    /// Words that may follow a sentence-final abbreviation ("... in the U.S. The ...").
    static let sentenceStarters: Set<String> = [
        "the", "a", "an", "but", "and", "so", "it", "its", "it's", "this", "that", "these", "those", "they",
        "we", "i", "he", "she", "you", "there", "what", "why", "how", "when", "where", "who", "in", "on",
        "at", "for", "if", "as", "now", "then", "yet", "still", "meanwhile", "however", "also", "our",
        "their", "his", "her", "my", "one", "some", "many", "most", "all", "both", "well", "yes", "no",
        "not", "is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should",
    ]

    static let continuationWords: Set<String> = [
        "the", "a", "an", "of", "to", "and", "or", "but", "in", "on", "at", "for", "with", "by", "from",
        "that", "which", "who", "is", "are", "was", "were", "be", "has", "have", "had", "its", "their", "his", "her",
    ]

    /// The ranges of the sentences in `s`, whitespace excluded.
    static func sentenceRanges(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let n = s.count
        var start = 0
        var i = 0
        func push(_ end: Int) {
            var a = start, b = end
            while a < b, s[a].properties.isWhitespace { a += 1 }
            while b > a, s[b - 1].properties.isWhitespace { b -= 1 }
            if a < b { ranges.append(a..<b) }
            start = end
        }
        while i < n {
            let c = s[i]
            guard sentenceFinal.contains(c) else { i += 1; continue }
            var j = i
            while j < n, sentenceFinal.contains(s[j]) { j += 1 }
            let run = s[i..<j]
            while j < n, closers.contains(s[j]) { j += 1 }
            guard j == n || s[j].properties.isWhitespace else { i = j; continue }
            var k = j
            while k < n, s[k].properties.isWhitespace { k += 1 }
            if k == n { push(n); break }
            if isBoundary(s, terminalAt: i, run: run, next: k) { push(j) }
            i = j
        }
        if start < n { push(n) }
        return ranges
    }

    private static func isBoundary(_ s: [Unicode.Scalar], terminalAt i: Int, run: ArraySlice<Unicode.Scalar>, next k: Int) -> Bool {
        var first = s[k]
        var m = k
        while openers.contains(first), m + 1 < s.count { m += 1; first = s[m] }
        let startsSentence = first.properties.isUppercase || Tokenizer.isDigit(first) || (!first.properties.isAlphabetic && !first.properties.isWhitespace)
        guard startsSentence else { return false }
        guard run.count == 1, run.first == "." else { return true }
        // A single period: is the word before it an abbreviation?
        var w = i
        while w > 0, !s[w - 1].properties.isWhitespace { w -= 1 }
        while w < i, openers.contains(s[w]) { w += 1 }
        let word = String(scalars: s[w..<i])
        let lower = word.lowercased()
        let nextWord = SentenceSegmenter.word(at: m, in: s).lowercased()
        if titles.contains(lower) {
            // "No. 5", "Dr. Chen": not an end; "... said no." followed by a new sentence is.
            return (lower == "no" && !Tokenizer.isDigit(first)) && sentenceStarters.contains(nextWord)
        }
        if word.contains(".") || (word.unicodeScalars.count == 1 && word.unicodeScalars.first!.properties.isUppercase) {
            // "U.S.", "a.m.", an initial: an end only before a typical sentence opener.
            return sentenceStarters.contains(nextWord)
        }
        return true
    }

    private static func word(at start: Int, in s: [Unicode.Scalar]) -> String {
        var e = start
        while e < s.count, Tokenizer.isLetter(s[e]) || s[e] == "'" || s[e] == "\u{2019}" { e += 1 }
        return String(scalars: s[start..<e])
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        let u = unicodeScalars
        var lo = u.startIndex
        while lo < u.endIndex, u[lo].properties.isWhitespace { lo = u.index(after: lo) }
        var hi = u.endIndex
        while hi > lo {
            let p = u.index(before: hi)
            if !u[p].properties.isWhitespace { break }
            hi = p
        }
        return self[lo..<hi]
    }
}

extension String {
    func trimmingWhitespace() -> Substring { self[...].trimmingWhitespace() }

    /// A string from decoded scalars, built through UTF-8 (no generic slow paths).
    init(scalars: ArraySlice<Unicode.Scalar>) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for s in scalars { TokenBuffer.appendUTF8(s, to: &bytes) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
