import Foundation

/// A stretch of one cue said by one speaker.
struct Turn: Equatable {
    var text: String
    var speaker: String?
    /// A dialogue dash, `>>` or speaker label starts it.
    var breakBefore: Bool
}

struct ParsedCue {
    var cue: Cue
    var turns: [Turn]
}

extension TranscriptReader {
    /// With `texts` false, the cues' `text` and `raw` are left empty, which
    /// saves two copies of the file when only the pieces are wanted.
    static func parsedCues(_ text: Substring, format: TranscriptFormat, source: String, texts: Bool) throws -> [ParsedCue] {
        switch format {
        case .srt: return try srtCues(text, source: source, texts: texts)
        case .vtt: return try vttCues(text, source: source, texts: texts)
        default: return try youtubeCues(text, source: source, texts: texts)
        }
    }

    /// Pieces of the cues' turns. A cue's span is shared among its turns in
    /// proportion to their length: with lengths l₁…lₙ (in Unicode scalars)
    /// joined by single spaces into L = Σlᵢ + n − 1 scalars, turn i runs from
    /// `start + d·cᵢ/L` to `start + d·(cᵢ + lᵢ)/L`, where d = end − start and
    /// cᵢ = Σ_{j<i}(lⱼ + 1).
    static func pieces(of cues: [ParsedCue]) -> [TextPiece] {
        var pieces: [TextPiece] = []
        for parsed in cues {
            let turns = parsed.turns.filter { !$0.text.isEmpty }
            guard !turns.isEmpty else { continue }
            let lengths = turns.map { $0.text.unicodeScalars.count }
            let total = Double(lengths.reduce(turns.count - 1, +))
            let start = parsed.cue.start, duration = parsed.cue.end - parsed.cue.start
            var offset = 0
            for (turn, length) in zip(turns, lengths) {
                pieces.append(TextPiece(
                    text: turn.text,
                    start: start + duration * Double(offset) / total,
                    end: start + duration * Double(offset + length) / total,
                    speaker: turn.speaker, breakBefore: turn.breakBefore))
                offset += length + 1
            }
        }
        return pieces
    }

    // MARK: - SubRip

    /// SubRip: blocks of an optional index line, a timing line
    /// `HH:MM:SS,mmm --> HH:MM:SS,mmm` (see `Timestamp.timing`) and text
    /// lines, separated by blank lines. A block whose timing line cannot be
    /// read is skipped. Text lines are cleaned with `Markup.clean`; a leading
    /// dialogue dash (`- `) or speaker label starts a turn, and a label's
    /// speaker holds for later cues until the next dash or label.
    static func srtCues(_ text: Substring, source: String, texts: Bool) throws -> [ParsedCue] {
        var blocks: [(start: Double, end: Double, lines: [Substring])] = []
        var current: (start: Double, end: Double, lines: [Substring])?
        var badTimings = 0
        func finish(beforeTiming: Bool) {
            guard var c = current else { return }
            // An index line straight after the text, without a blank line.
            if beforeTiming, let last = c.lines.last, last.trimmingWhitespace().allSatisfy(\.isASCIIDigitCharacter) { c.lines.removeLast() }
            blocks.append(c)
            current = nil
        }
        for line in Lines(text) {
            let t = line.trimmingWhitespace()
            if t.isEmpty {
                finish(beforeTiming: false)
            } else if Timestamp.containsArrow(t) {
                finish(beforeTiming: true)
                if let (start, end) = Timestamp.timing(t) {
                    current = (start, end, [])
                } else {
                    badTimings += 1
                }
            } else {
                current?.lines.append(line)
            }
        }
        finish(beforeTiming: false)
        guard !blocks.isEmpty else {
            let bad = badTimings > 0 ? " (\(badTimings) timing line\(badTimings == 1 ? "" : "s") could not be read)" : ""
            throw StanceError.input(file: source, message: "no valid SRT cue found\(bad). An SRT file is made of blocks "
                + "such as \"1\", \"00:00:01,000 --> 00:00:04,000\", \"Text\", separated by blank lines.")
        }
        var builder = TurnBuilder(names: true, soundTags: false)
        var previous: [String] = []
        return blocks.map { block in
            let raw = texts ? block.lines.joined(separator: "\n") : ""
            let cleaned = block.lines.map { Markup.clean($0) }.filter { !$0.isEmpty }
            let repeated = repeatedLines(cleaned, previous: previous, duration: block.end - block.start)
            previous = cleaned
            let speakerBefore = builder.speaker
            let turns = builder.turns(Array(cleaned.dropFirst(repeated)))
            let cue = Cue(start: block.start, end: block.end, speaker: turns.isEmpty ? speakerBefore : turns[0].speaker,
                          text: texts ? cleaned.joined(separator: " ") : "", raw: raw)
            return ParsedCue(cue: cue, turns: turns)
        }
    }

    // MARK: - WebVTT

    /// W3C WebVTT: a first line starting with `WEBVTT` (then a space, tab or
    /// the line end) and a header block; then blocks separated by blank lines.
    /// A block is a cue when its first line, or its second after an
    /// identifier, is a timing line `[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm`
    /// followed by cue settings (ignored); a later timing line inside the
    /// block starts another cue. NOTE, STYLE and REGION blocks are skipped.
    /// Voice spans (`<v Name>`, `<v.loud Name>`) give the speaker; text
    /// outside any voice span has none. Dialogue dashes and `>>` start turns.
    static func vttCues(_ text: Substring, source: String, texts: Bool) throws -> [ParsedCue] {
        var lines = Lines(text)
        guard let header = lines.next(), header.hasPrefix("WEBVTT"),
              header.utf8.count == 6 || Markup.isSpace(header.utf8.dropFirst(6).first!) else {
            throw StanceError.input(file: source, message: "not a WebVTT file: the first line must start with WEBVTT. For SubRip subtitles use the srt format.")
        }
        var cues: [ParsedCue] = []
        var previous: [String] = []
        var inHeader = true
        var block: [Substring] = []
        func process() {
            defer { block.removeAll(keepingCapacity: true) }
            if inHeader { inHeader = false; return }
            guard let first = block.first, !isKeywordLine(first, "NOTE") else { return }
            var k = 0
            while k < block.count {
                let timingLine: Int
                if Timestamp.containsArrow(block[k]) {
                    timingLine = k
                } else if k + 1 < block.count, Timestamp.containsArrow(block[k + 1]) {
                    timingLine = k + 1
                } else {
                    return
                }
                var end = timingLine + 1
                while end < block.count, !Timestamp.containsArrow(block[end]) { end += 1 }
                if let (start, stop) = Timestamp.timing(block[timingLine]) {
                    cues.append(vttCue(start: start, end: stop, payload: block[(timingLine + 1)..<end], previous: &previous, texts: texts))
                }
                k = end
            }
        }
        for line in lines {
            if line.trimmingWhitespace().isEmpty {
                if inHeader || !block.isEmpty { process() }
            } else {
                block.append(line)
            }
        }
        process()
        guard !cues.isEmpty else {
            throw StanceError.input(file: source, message: "no valid WebVTT cue found. Cues need a timing line such as 00:00:01.000 --> 00:00:04.000 followed by the text.")
        }
        return cues
    }

    private static func vttCue(start: Double, end: Double, payload: ArraySlice<Substring>, previous: inout [String], texts: Bool) -> ParsedCue {
        var voice: String?
        let lines = payload.map { line -> [(speaker: String?, text: String)] in
            let (parts, after) = Markup.voiceParts(line, speaker: voice)
            voice = after
            return parts.filter { !$0.text.isEmpty }
        }
        let cleaned = lines.map { $0.map(\.text).joined(separator: " ") }.filter { !$0.isEmpty }
        var repeated = repeatedLines(cleaned, previous: previous, duration: end - start)
        previous = cleaned
        var turns = TurnList()
        for parts in lines where !parts.isEmpty {
            if repeated > 0 { repeated -= 1; continue }
            for part in parts {
                let start = LineStart(part.text[...], names: false)
                turns.add(start.rest, speaker: part.speaker, turn: start.turn)
            }
        }
        let speaker = lines.lazy.flatMap { $0 }.compactMap(\.speaker).first
        let cue = Cue(start: start, end: end, speaker: speaker, text: texts ? cleaned.joined(separator: " ") : "",
                      raw: texts ? payload.joined(separator: "\n") : "")
        return ParsedCue(cue: cue, turns: turns.turns)
    }

    /// `line` is `keyword` alone or followed by a space or tab.
    private static func isKeywordLine(_ line: Substring, _ keyword: String) -> Bool {
        guard line.hasPrefix(keyword) else { return false }
        let after = line.utf8.dropFirst(keyword.utf8.count)
        return after.isEmpty || Markup.isSpace(after.first!)
    }

    // MARK: - YouTube

    /// YouTube's "Show transcript" text: a timestamp alone on a line (`0:05`,
    /// `12:34`, `1:02:03`) followed by text lines; a cue ends where the next
    /// begins, the last 5 s after its start. SBV timing lines
    /// (`0:00:01.000,0:00:04.000`) give both times. A spoken-length line
    /// ("5 seconds") straight after a timestamp, lines before the first
    /// timestamp and bracketed sound tags (`[Music]`) are dropped. Speaker
    /// labels and `>>` start turns as in plain text.
    static func youtubeCues(_ text: Substring, source: String, texts: Bool) throws -> [ParsedCue] {
        var blocks: [(start: Double, end: Double?, lines: [Substring])] = []
        var afterTimestamp = false
        for line in Lines(text) {
            let t = line.trimmingWhitespace()
            if t.isEmpty { continue }
            if let (start, end) = Timestamp.sbvTiming(t) {
                blocks.append((start, end, []))
                afterTimestamp = true
            } else if t.utf8.count <= 12, t.allSatisfy({ $0.isASCIIDigitCharacter || $0 == ":" }), let start = Timestamp.seconds(t) {
                blocks.append((start, nil, []))
                afterTimestamp = true
            } else {
                if !(afterTimestamp && isSpokenLength(t)) { blocks.indices.last.map { blocks[$0].lines.append(t) } }
                afterTimestamp = false
            }
        }
        guard !blocks.isEmpty else {
            throw StanceError.input(file: source, message: "no timestamp lines (such as 0:05, or 0:00:01.000,0:00:04.000 in SBV) "
                + "found. For an untimed transcript use the text format.")
        }
        var builder = TurnBuilder(names: true, soundTags: true)
        return blocks.indices.map { i in
            let b = blocks[i]
            let end = max(b.end ?? (i + 1 < blocks.count ? blocks[i + 1].start : b.start + 5), b.start)
            let raw = texts ? b.lines.joined(separator: "\n") : ""
            let text = texts ? Markup.collapsingWhitespace(removingSoundTags(b.lines.joined(separator: " "))[...]) : ""
            let speakerBefore = builder.speaker
            let turns = builder.turns(b.lines.map(String.init))
            return ParsedCue(cue: Cue(start: b.start, end: end, speaker: turns.isEmpty ? speakerBefore : turns[0].speaker, text: text, raw: raw), turns: turns)
        }
    }

    /// "5 seconds", "1 minute, 2 seconds", "1 hour, 3 minutes".
    private static func isSpokenLength(_ t: Substring) -> Bool {
        guard t.utf8.count <= 64 else { return false }
        let words = t.split(whereSeparator: { $0 == " " || $0 == "," })
        guard words.count >= 2, words.count % 2 == 0 else { return false }
        let units: Set<Substring> = ["second", "seconds", "minute", "minutes", "hour", "hours"]
        return stride(from: 0, to: words.count, by: 2).allSatisfy { words[$0].allSatisfy(\.isASCIIDigitCharacter) && units.contains(words[$0 + 1]) }
    }

    /// `s` without bracketed sound tags: `[...]` of at most 40 bytes with a letter in it.
    static func removingSoundTags(_ s: String) -> String {
        let text = s[...]
        let u = text.utf8
        var out = ""
        var runStart = u.startIndex
        var i = text.firstByte(from: runStart, in: soundTagStart)
        while i < u.endIndex {
            let inner = u.index(after: i)
            let close = text.firstByte(from: inner, in: soundTagEnd)
            if close < u.endIndex, u[close] == UInt8(ascii: "]"), u.distance(from: inner, to: close) <= 40,
               text[inner..<close].contains(where: \.isLetter) {
                out += text[runStart..<i]
                runStart = u.index(after: close)
                i = text.firstByte(from: runStart, in: soundTagStart)
            } else {
                i = text.firstByte(from: inner, in: soundTagStart)
            }
        }
        if runStart == u.startIndex { return s }
        out += text[runStart...]
        return out
    }

    private static let soundTagStart = ByteSet([UInt8(ascii: "[")])
    private static let soundTagEnd = ByteSet([UInt8(ascii: "["), UInt8(ascii: "]"), 10, 13])

    /// How many leading lines of `lines` repeat the last lines of the
    /// previous cue, as roll-up captions (YouTube's automatic ones) do: the
    /// longest overlap that leaves a line of its own, or a single line
    /// repeated by a cue shorter than 0.1 s.
    static func repeatedLines(_ lines: [String], previous: [String], duration: Double) -> Int {
        guard !lines.isEmpty, !previous.isEmpty else { return 0 }
        if lines.count == 1 { return duration < 0.1 && lines[0] == previous.last ? 1 : 0 }
        for k in stride(from: min(lines.count - 1, previous.count), through: 1, by: -1) where lines[..<k].elementsEqual(previous.suffix(k)) {
            return k
        }
        return 0
    }
}

/// The turn marks at a line's start: a dialogue dash (`- `, `-Word`, `– `),
/// `>>` and, with `names`, a speaker label (see `SpeakerPrefix`).
struct LineStart {
    var rest: Substring
    var turn = false
    /// A label or `>>` says who speaks (nil: someone not named).
    var labelled = false
    var speaker: String?

    init(_ line: Substring, names: Bool) {
        var t = line.trimmingWhitespace()
        if let first = t.first, first == "-" || first == "\u{2013}", let second = t.dropFirst().first,
           second == " " || (first == "-" && second.isLetter) {
            t = t.dropFirst().trimmingWhitespace()
            turn = true
        }
        if names, let m = SpeakerPrefix.parse(t) {
            rest = m.rest
            turn = true
            labelled = true
            speaker = m.speaker
            return
        }
        if t.hasPrefix(">>") {
            t = t.drop(while: { $0 == ">" }).trimmingWhitespace()
            turn = true
        }
        rest = t
    }
}

/// Turns in order; text joins the last turn unless a new turn starts or the
/// speaker changes.
struct TurnList {
    var turns: [Turn] = []
    private var pendingBreak = false

    mutating func add(_ text: Substring, speaker: String?, turn: Bool) {
        let t = text.trimmingWhitespace()
        guard !t.isEmpty else {
            pendingBreak = pendingBreak || turn
            return
        }
        let brk = turn || pendingBreak
        pendingBreak = false
        if !brk, let last = turns.indices.last, turns[last].speaker == speaker {
            turns[last].text += " " + t
        } else {
            turns.append(Turn(text: String(t), speaker: speaker, breakBefore: brk))
        }
    }
}

/// Cue lines to turns for SRT and YouTube, carrying the speaker from cue to
/// cue: a label sets it, a dash or `>>` without a label clears it.
struct TurnBuilder {
    var speaker: String?
    let names: Bool
    let soundTags: Bool

    init(names: Bool, soundTags: Bool) {
        self.names = names
        self.soundTags = soundTags
    }

    mutating func turns(_ lines: [String]) -> [Turn] {
        var list = TurnList()
        for line in lines {
            let start = LineStart(Substring(line), names: names)
            if start.labelled { speaker = start.speaker } else if start.turn { speaker = nil }
            let rest = soundTags ? Substring(TranscriptReader.removingSoundTags(String(start.rest))) : start.rest
            list.add(rest, speaker: speaker, turn: start.turn)
        }
        return list.turns
    }
}

/// Subtitle timestamps.
enum Timestamp {
    /// Seconds of `[H:]MM:SS[.mmm]` (also `,mmm`, and 1-digit fields):
    /// `3600·H + 60·M + S + fraction`. Minutes and seconds below a larger
    /// unit must be under 60.
    static func seconds<S: StringProtocol>(_ s: S) -> Double? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        var last = parts[parts.count - 1][...]
        var fraction = 0.0
        if let dot = last.firstIndex(where: { $0 == "." || $0 == "," }) {
            let digits = last[last.index(after: dot)...]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigitCharacter), let f = Double("0." + digits) else { return nil }
            fraction = f
            last = last[..<dot]
        }
        let fields = parts.dropLast().map { $0[...] } + [last]
        guard fields.allSatisfy({ !$0.isEmpty && $0.count <= 9 && $0.allSatisfy(\.isASCIIDigitCharacter) }) else { return nil }
        let values = fields.map { Double(Int($0)!) }
        guard values[values.count - 1] < 60, values.count == 2 || values[1] < 60 else { return nil }
        return values.reduce(0) { $0 * 60 + $1 } + fraction
    }

    /// `start --> end [settings]`; an end before the start is moved to the start.
    static func timing(_ line: Substring) -> (Double, Double)? {
        guard let arrow = arrowRange(line) else { return nil }
        let right = line[arrow.upperBound...].trimmingWhitespace()
        let endField = right.prefix(while: { !$0.isWhitespace })
        guard let start = seconds(line[..<arrow.lowerBound].trimmingWhitespace()), let end = seconds(endField) else { return nil }
        return (start, max(start, end))
    }

    /// SBV: `0:00:01.000,0:00:04.000`.
    static func sbvTiming(_ line: Substring) -> (Double, Double)? {
        guard line.utf8.count <= 40 else { return nil }
        let parts = line.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.contains(".") }), let a = seconds(parts[0]), let b = seconds(parts[1]) else { return nil }
        return (a, max(a, b))
    }

    static func containsArrow(_ line: Substring) -> Bool { arrowRange(line) != nil }

    private static func arrowRange(_ line: Substring) -> Range<String.Index>? {
        let u = line.utf8
        var i = line.firstByte(from: u.startIndex, in: arrowHead)
        while i < u.endIndex {
            if u.distance(from: u.startIndex, to: i) >= 2 {
                let a = u.index(i, offsetBy: -2)
                if u[a] == UInt8(ascii: "-"), u[u.index(after: a)] == UInt8(ascii: "-") { return a..<u.index(after: i) }
            }
            i = line.firstByte(from: u.index(after: i), in: arrowHead)
        }
        return nil
    }

    private static let arrowHead = ByteSet([UInt8(ascii: ">")])
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
