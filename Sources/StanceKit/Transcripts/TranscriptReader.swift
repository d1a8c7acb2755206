import Foundation

/// Turns transcript files into text pieces for `SentenceSegmenter`.
///
/// Bytes are decoded as UTF-8 (invalid sequences become U+FFFD; a leading
/// byte order mark is dropped; UTF-16 with a byte order mark is decoded too).
/// A file with a NUL byte in its first 8 KB is refused as binary. Lines end
/// at LF, CRLF or CR.
public struct TranscriptReader: Sendable {
    /// For tsv: the name of each field, such as ["line", "speaker", "text", "label"].
    public var columns: [String]?

    public init(columns: [String]? = nil) {
        self.columns = columns
    }

    /// Parses a whole file. Invalid UTF-8 is replaced (U+FFFD), never fatal.
    /// Throws `StanceError.input` for a file that is not a transcript of that
    /// format: binary data, an SRT or VTT file without a single valid cue, a
    /// VTT file without the WEBVTT header, a YouTube transcript without
    /// timestamps, a malformed JSON Lines record or a TSV line with too few
    /// fields (naming the line).
    public func read(_ data: Data, format: TranscriptFormat, source: String) throws -> [TextPiece] {
        let text = try TranscriptReader.decode(data, source: source)
        switch format {
        case .text: return TranscriptReader.textPieces(text)
        case .lines: return TranscriptReader.linePieces(text)
        case .jsonl: return try TranscriptReader.jsonlPieces(text, source: source)
        case .tsv: return try tsvPieces(text, source: source)
        case .srt, .vtt, .youtube: return TranscriptReader.pieces(of: try TranscriptReader.parsedCues(text, format: format, source: source, texts: false))
        }
    }

    /// The pieces and the cues of a timed file (srt, vtt, youtube) from one
    /// parse, for writers that add labels to the input's cues.
    public func readWithCues(_ data: Data, format: TranscriptFormat, source: String) throws -> (pieces: [TextPiece], cues: [Cue]) {
        guard [.srt, .vtt, .youtube].contains(format) else { return (try read(data, format: format, source: source), []) }
        let parsed = try TranscriptReader.parsedCues(try TranscriptReader.decode(data, source: source), format: format, source: source, texts: true)
        return (TranscriptReader.pieces(of: parsed), parsed.map(\.cue))
    }

    /// SRT and VTT cues (and YouTube/SBV ones), for writers that add labels
    /// to the cues. Throws `StanceError.input` for the other formats.
    public func cues(_ data: Data, format: TranscriptFormat, source: String) throws -> [Cue] {
        guard [.srt, .vtt, .youtube].contains(format) else {
            throw StanceError.input(file: source, message: "the \(format.rawValue) format has no cues; only srt, vtt and youtube files do.")
        }
        let text = try TranscriptReader.decode(data, source: source)
        return try TranscriptReader.parsedCues(text, format: format, source: source, texts: true).map(\.cue)
    }

    // MARK: - Decoding

    static func decode(_ data: Data, source: String) throws -> Substring {
        let binary = StanceError.input(file: source, message: "this looks like a binary file (it has NUL bytes), not a transcript. "
            + "Give a text file in UTF-8 (SRT, VTT, plain text, ...).")
        let string: String
        if data.count >= 2, data[data.startIndex] == 0xFF && data[data.startIndex + 1] == 0xFE || data[data.startIndex] == 0xFE && data[data.startIndex + 1] == 0xFF {
            let units = utf16(data, bigEndian: data[data.startIndex] == 0xFE)
            if units.prefix(4096).contains(0) { throw binary }
            string = String(decoding: units, as: UTF16.self)
        } else {
            if data.prefix(8192).contains(0) { throw binary }
            string = String(decoding: data, as: UTF8.self)
        }
        var s = string[...]
        if s.unicodeScalars.first == "\u{FEFF}" { s = Substring(s.unicodeScalars.dropFirst()) }
        return s
    }

    private static func utf16(_ data: Data, bigEndian: Bool) -> [UInt16] {
        var units: [UInt16] = []
        units.reserveCapacity(data.count / 2)
        var i = data.startIndex + 2
        while i + 1 < data.endIndex {
            let a = UInt16(data[i]), b = UInt16(data[i + 1])
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            i += 2
        }
        return units
    }

    // MARK: - Untimed formats

    /// One piece per non-empty line; a blank line breaks before the next
    /// piece; a speaker label (see `SpeakerPrefix`) names the speaker of its
    /// line and the lines after it, up to the next label, and starts a turn.
    /// A first line of page boilerplate without a label is dropped, as in
    /// `SentenceSegmenter.pieces(fromPlainText:)`.
    static func textPieces(_ text: Substring) -> [TextPiece] {
        var pieces: [TextPiece] = []
        var firstLines: [Substring] = []
        var firstHasLabel = false
        var pendingBreak = false
        var speaker: String?
        for line in Lines(text) {
            let t = line.trimmingWhitespace()
            if t.isEmpty { pendingBreak = true; continue }
            var piece = TextPiece(text: "", speaker: speaker, breakBefore: pendingBreak)
            if let label = SpeakerPrefix.parse(t) {
                speaker = label.speaker
                piece.speaker = speaker
                piece.breakBefore = true
                piece.text = String(label.rest)
                if pieces.isEmpty { firstHasLabel = true }
            } else {
                piece.text = String(t)
            }
            if piece.text.isEmpty { pendingBreak = true; continue }
            if firstLines.count < 2 { firstLines.append(t) }
            pendingBreak = false
            pieces.append(piece)
        }
        if pieces.count >= 2, !firstHasLabel, SentenceSegmenter.isBoilerplate(first: String(firstLines[0]), next: String(firstLines[1])) {
            pieces.removeFirst()
        }
        return pieces
    }

    /// One sentence per non-empty line.
    static func linePieces(_ text: Substring) -> [TextPiece] {
        Lines(text).compactMap { line in
            let t = line.trimmingWhitespace()
            return t.isEmpty ? nil : TextPiece(text: String(t), breakBefore: true)
        }
    }

    /// One sentence per record: `{"text": ..., "speaker": ..., "start": s, "end": s}`;
    /// only "text" is required.
    static func jsonlPieces(_ text: Substring, source: String) throws -> [TextPiece] {
        var pieces: [TextPiece] = []
        var n = 0
        for line in Lines(text) {
            n += 1
            if line.trimmingWhitespace().isEmpty { continue }
            func fail(_ m: String) -> StanceError { .input(file: source, message: "line \(n): \(m)") }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else {
                throw fail("malformed JSON. Each line must be one object such as {\"text\": \"...\", \"speaker\": \"...\"}.")
            }
            guard let record = object as? [String: Any] else { throw fail("expected a JSON object with a \"text\" field.") }
            guard let t = record["text"] as? String else { throw fail("the record has no string \"text\" field.") }
            var piece = TextPiece(text: t, breakBefore: true)
            switch record["speaker"] {
            case let s as String: piece.speaker = s.isEmpty ? nil : s
            case let d as NSNumber: piece.speaker = d.stringValue
            default: break
            }
            piece.start = try seconds(record["start"], field: "start", fail: fail)
            piece.end = try seconds(record["end"], field: "end", fail: fail)
            if !t.trimmingWhitespace().isEmpty { pieces.append(piece) }
        }
        return pieces
    }

    private static func seconds(_ value: Any?, field: String, fail: (String) -> StanceError) throws -> Double? {
        switch value {
        case nil, is NSNull: return nil
        case let d as Double: return d
        case let s as String:
            if let d = Double(s.trimmingWhitespace()) ?? Timestamp.seconds(s.trimmingWhitespace()) { return d }
        default: break
        }
        throw fail("\"\(field)\" must be a number of seconds.")
    }

    /// One sentence per line, with tab-separated fields named by `columns`:
    /// "text" is the sentence; "speaker", "start" and "end" (seconds or
    /// `[H:]MM:SS.mmm`) are used when present. A first line that repeats the
    /// column names is a header and skipped; fields past the named ones are
    /// ignored.
    func tsvPieces(_ text: Substring, source: String) throws -> [TextPiece] {
        guard let columns, !columns.isEmpty else {
            throw StanceError.input(file: source, message: "the tsv format needs the names of its columns, e.g. --columns line,speaker,text,label.")
        }
        guard let textField = columns.firstIndex(of: "text") else {
            throw StanceError.input(file: source, message: "the tsv columns \(columns.joined(separator: ",")) have no \"text\" column; name the sentence column text.")
        }
        let speakerField = columns.firstIndex(of: "speaker")
        let startField = columns.firstIndex(of: "start")
        let endField = columns.firstIndex(of: "end")
        var pieces: [TextPiece] = []
        var n = 0
        for line in Lines(text) {
            n += 1
            if line.trimmingWhitespace().isEmpty { continue }
            let fields = TranscriptReader.fields(line)
            if n == 1, fields.count >= columns.count, zip(fields, columns).allSatisfy({ $0.trimmingWhitespace().lowercased() == $1.lowercased() }) {
                continue
            }
            guard fields.count >= columns.count else {
                let found = "\(fields.count) tab-separated field\(fields.count == 1 ? "" : "s")"
                throw StanceError.input(file: source, message: "line \(n) has \(found), but the columns \(columns.joined(separator: ",")) need \(columns.count).")
            }
            func field(_ i: Int?) -> Substring? {
                guard let i else { return nil }
                let f = fields[i].trimmingWhitespace()
                return f.isEmpty ? nil : f
            }
            func time(_ i: Int?) -> Double? { field(i).flatMap { Double($0) ?? Timestamp.seconds($0) } }
            guard let t = field(textField) else { continue }
            pieces.append(TextPiece(text: String(t), start: time(startField), end: time(endField), speaker: field(speakerField).map(String.init), breakBefore: true))
        }
        return pieces
    }
}

extension TranscriptReader {
    static func fields(_ line: Substring) -> [Substring] {
        var fields: [Substring] = []
        var start = line.startIndex
        while true {
            let tab = line.firstByte(from: start, in: tab)
            fields.append(line[start..<tab])
            guard tab < line.endIndex else { return fields }
            start = line.utf8.index(after: tab)
        }
    }

    private static let tab = ByteSet([9])
}

/// The lines of a text, split at LF, CRLF or CR, without their terminators.
struct Lines: Sequence, IteratorProtocol {
    private let text: Substring
    private var position: String.Index
    private var done = false
    private static let breaks = ByteSet([10, 13])

    init(_ text: Substring) {
        self.text = text
        position = text.startIndex
    }

    mutating func next() -> Substring? {
        guard !done else { return nil }
        let u = text.utf8
        let j = text.firstByte(from: position, in: Lines.breaks)
        let line = text[position..<j]
        if j == u.endIndex {
            done = true
        } else {
            var k = u.index(after: j)
            if u[j] == 13, k < u.endIndex, u[k] == 10 { u.formIndex(after: &k) }
            position = k
        }
        return line
    }
}
