/// How a transcript file is laid out.
public enum TranscriptFormat: String, Sendable, CaseIterable {
    /// Plain transcript lines, wrapped anywhere; blank lines separate
    /// paragraphs; `NAME:` labels name the speaker.
    case text
    /// One sentence per line.
    case lines
    /// SubRip subtitles.
    case srt
    /// W3C WebVTT captions.
    case vtt
    /// YouTube's "Show transcript" text (a timestamp line, then text) or SBV.
    case youtube
    /// JSON Lines: one sentence per record, in "text".
    case jsonl
    /// Tab-separated fields named by `TranscriptReader.columns`.
    case tsv

    /// From a file extension: .txt/.text -> text, .srt -> srt, .vtt -> vtt,
    /// .jsonl/.ndjson -> jsonl, .tsv -> tsv, .sbv -> youtube; nil otherwise.
    public static func fromExtension(_ path: String) -> TranscriptFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "txt", "text": return .text
        case "srt": return .srt
        case "vtt": return .vtt
        case "jsonl", "ndjson": return .jsonl
        case "tsv": return .tsv
        case "sbv": return .youtube
        default: return nil
        }
    }
}

/// One timed subtitle cue.
public struct Cue: Sendable, Equatable {
    /// Seconds from the start of the media; `end >= start`.
    public var start: Double
    public var end: Double
    public var speaker: String?
    /// The payload as plain text (`Markup.clean`), lines joined with spaces.
    public var text: String
    /// The payload as in the file, lines joined with "\n".
    public var raw: String

    public init(start: Double, end: Double, speaker: String? = nil, text: String, raw: String) {
        self.start = start
        self.end = end
        self.speaker = speaker
        self.text = text
        self.raw = raw
    }
}
