import Foundation
import Testing
@testable import StanceKit

@Suite struct TranscriptReaderTests {
    let reader = TranscriptReader()
    let segmenter = SentenceSegmenter()

    func data(_ s: String) -> Data { Data(s.utf8) }

    func inputError(_ body: () throws -> Void) -> String? {
        do { try body() } catch let StanceError.input(_, message) { return message } catch { return "unexpected \(error)" }
        return nil
    }

    // MARK: - WebVTT

    static let vtt = """
    WEBVTT - Panel on lunar cooperation
    Kind: captions
    Language: en

    NOTE Edited by hand; the host's lines
    were checked against the recording.

    STYLE
    ::cue(.yellow) { color: yellow; }

    intro-1
    00:00:01.000 --> 00:00:04.500 align:start position:10%
    <v Dr. Lindqvist>The station will be finished
    by <b>2030</b> &amp; crews will rotate.

    intro-2
    00:00:04.500 --> 00:00:07.000 line:85% size:80%
    <v Dr. Lindqvist>We <i>hope</i> so.

    00:00:07.000 --> 00:00:09.000
    <v.loud HOST>Is that <c.yellow>realistic</c>?

    00:00:09.000 --> 00:00:11.000
    Not everyone thinks so &lt;laughs&gt;.

    NOTE a comment between cues

    00:01:02.250 --> 01:05.000
    <v Dr. Lindqvist>Yes.</v> <v HOST>Thank you, doctor.

    """

    @Test func vtt_cuesSkipHeaderNoteAndStyle() throws {
        let cues = try reader.cues(data(Self.vtt), format: .vtt, source: "panel.vtt")
        #expect(cues.count == 5)
        #expect(cues[0] == Cue(start: 1, end: 4.5, speaker: "Dr. Lindqvist",
                               text: "The station will be finished by 2030 & crews will rotate.",
                               raw: "<v Dr. Lindqvist>The station will be finished\nby <b>2030</b> &amp; crews will rotate."))
        #expect(cues[2].speaker == "HOST")
        #expect(cues[2].text == "Is that realistic?")
        #expect(cues[3].speaker == nil)
        #expect(cues[3].text == "Not everyone thinks so <laughs>.")
        #expect(cues[4].start == 62.25 && cues[4].end == 65)
    }

    @Test func vtt_voiceSpansGiveSpeakersAndSentences() throws {
        let pieces = try reader.read(data(Self.vtt), format: .vtt, source: "panel.vtt")
        #expect(pieces.map(\.speaker) == ["Dr. Lindqvist", "Dr. Lindqvist", "HOST", nil, "Dr. Lindqvist", "HOST"])
        let s = segmenter.segment(pieces: pieces)
        #expect(s.map(\.text) == [
            "The station will be finished by 2030 & crews will rotate.",
            "We hope so.",
            "Is that realistic?",
            "Not everyone thinks so <laughs>.",
            "Yes.",
            "Thank you, doctor.",
        ])
        #expect(s[0].start == 1 && s[0].end == 4.5)
        #expect(s[5].speaker == "HOST")
        #expect(s[5].end == 65)
    }

    @Test func vtt_requiresHeaderAndACue() {
        let noHeader = inputError { _ = try reader.read(data("00:00:01.000 --> 00:00:02.000\nHi.\n"), format: .vtt, source: "a.vtt") }
        #expect(noHeader?.contains("WEBVTT") == true)
        #expect(inputError { _ = try reader.read(data("WEBVTTX\n\n00:01.000 --> 00:02.000\nHi.\n"), format: .vtt, source: "a.vtt") } != nil)
        let noCue = inputError { _ = try reader.read(data("WEBVTT\n\nNOTE nothing here\n"), format: .vtt, source: "a.vtt") }
        #expect(noCue?.contains("no valid WebVTT cue") == true)
    }

    @Test func vtt_timingLineWithoutBlankLineStartsANewCue() throws {
        let text = "WEBVTT\n\n00:01.000 --> 00:02.000\nOne.\n00:02.000 --> 00:03.000\nTwo.\n"
        let cues = try reader.cues(data(text), format: .vtt, source: "a.vtt")
        #expect(cues.map(\.text) == ["One.", "Two."])
    }

    @Test func vtt_rollUpCaptionsAreNotRepeated() throws {
        let text = """
        WEBVTT
        Kind: captions

        00:00:00.000 --> 00:00:02.000 align:start position:0%
        the agency<00:00:00.500><c> confirmed</c><00:00:01.000><c> the</c>

        00:00:02.000 --> 00:00:02.010 align:start position:0%
        the agency confirmed the

        00:00:02.010 --> 00:00:04.000 align:start position:0%
        the agency confirmed the
        launch<00:00:02.500><c> date</c>

        """
        let pieces = try reader.read(data(text), format: .vtt, source: "auto.vtt")
        #expect(pieces.map(\.text) == ["the agency confirmed the", "launch date"])
        #expect(abs(pieces[1].start! - 2.01) < 1e-9 && pieces[1].end == 4)
        #expect(try reader.cues(data(text), format: .vtt, source: "auto.vtt").count == 3)
    }

    // MARK: - SubRip

    static let srt = "\u{FEFF}" + """
    1
    00:00:01,000 --> 00:00:03,000
    <i>The agency said</i> the launch

    2
    00:00:03,000 --> 00:00:05,000
    would go ahead next month,

    3
    00:00:05,000 --> 00:00:08,000 X1:100 X2:600 Y1:40 Y2:80
    {\\an8}despite the storm.

    4
    00:00:09,000 --> 00:00;11,000
    This block is malformed.

    5
    0:00:12.000 --> 0:00:16.000
    It was late. Nobody was surprised by that.

    6
    00:00:20,000 --> 00:00:18,000
    - Where is the crew now?
    - In orbit.

    """.replacingOccurrences(of: "\n", with: "\r\n")

    @Test func srt_sentenceAcrossCuesTakesTheirSpan() throws {
        let pieces = try reader.read(data(Self.srt), format: .srt, source: "launch.srt")
        let s = segmenter.segment(pieces: pieces)
        #expect(s.map(\.text) == [
            "The agency said the launch would go ahead next month, despite the storm.",
            "It was late.",
            "Nobody was surprised by that.",
            "Where is the crew now?",
            "In orbit.",
        ])
        #expect(s[0].start == 1 && s[0].end == 8)
    }

    @Test func srt_sentencesInOneCueShareItsSpanByLength() throws {
        let s = segmenter.segment(pieces: try reader.read(data(Self.srt), format: .srt, source: "launch.srt"))
        // "It was late." (12) + " " + "Nobody was surprised by that." (29) = 42 scalars over 4 s.
        let total = 42.0
        #expect(abs(s[1].start! - 12) < 1e-9)
        #expect(abs(s[1].end! - (12 + 4 * 12 / total)) < 1e-9)
        #expect(abs(s[2].start! - (12 + 4 * 13 / total)) < 1e-9)
        #expect(abs(s[2].end! - 16) < 1e-9)
    }

    @Test func srt_skipsMalformedBlockAndCleansMarkup() throws {
        let cues = try reader.cues(data(Self.srt), format: .srt, source: "launch.srt")
        #expect(cues.count == 5)
        #expect(cues[0].text == "The agency said the launch")
        #expect(cues[0].raw == "<i>The agency said</i> the launch")
        #expect(cues[2].text == "despite the storm.")
        #expect(!cues.contains { $0.text.contains("malformed") })
    }

    @Test func srt_backwardsTimesEndAtTheStartAndDashesStartTurns() throws {
        let cues = try reader.cues(data(Self.srt), format: .srt, source: "launch.srt")
        #expect(cues[4].start == 20 && cues[4].end == 20)
        let pieces = try reader.read(data(Self.srt), format: .srt, source: "launch.srt")
        let last = Array(pieces.suffix(2))
        #expect(last.map(\.text) == ["Where is the crew now?", "In orbit."])
        #expect(last.allSatisfy { $0.breakBefore && $0.start == 20 && $0.end == 20 })
    }

    @Test func srt_speakerLabelsCarryAcrossCues() throws {
        let text = """
        1
        00:00:01,000 --> 00:00:02,500
        COMMANDER: We are go
        for launch.
        2
        00:00:02,500 --> 00:00:04,000
        All systems nominal.

        3
        00:00:04,000 --> 00:00:06,000
        - Copy that.
        - MISSION CONTROL: Godspeed.
        """
        let pieces = try reader.read(data(text), format: .srt, source: "a.srt")
        #expect(pieces.map(\.text) == ["We are go for launch.", "All systems nominal.", "Copy that.", "Godspeed."])
        #expect(pieces.map(\.speaker) == ["COMMANDER", "COMMANDER", nil, "MISSION CONTROL"])
        let cues = try reader.cues(data(text), format: .srt, source: "a.srt")
        #expect(cues.map(\.speaker) == ["COMMANDER", "COMMANDER", nil])
    }

    @Test func srt_withoutAValidCueIsRejected() {
        let m = inputError { _ = try reader.read(data("1\n00:00:01 -> 00:00:02\nHello\n\n2\n00:00;03,000 --> 00:00:04,000\nBye\n"), format: .srt, source: "bad.srt") }
        #expect(m?.contains("no valid SRT cue") == true)
        #expect(m?.contains("1 timing line could not be read") == true)
    }

    // MARK: - YouTube

    @Test func youtube_transcriptTimestampsAndSoundTags() throws {
        let text = """
        Transcript
        0:00
        5 seconds
        [Music]
        0:05
        welcome back to the channel today we
        0:09
        look at the new space race [Applause]
        0:12
        [Music]
        1:02:03
        >> and that's all for today
        """
        let cues = try reader.cues(data(text), format: .youtube, source: "yt.txt")
        #expect(cues.map(\.start) == [0, 5, 9, 12, 3723])
        #expect(cues.map(\.end) == [5, 9, 12, 3723, 3728])
        #expect(cues[2].text == "look at the new space race")
        let pieces = try reader.read(data(text), format: .youtube, source: "yt.txt")
        #expect(pieces.map(\.text) == ["welcome back to the channel today we", "look at the new space race", "and that's all for today"])
        #expect(pieces.map(\.breakBefore) == [false, false, true])
        let s = segmenter.segment(pieces: pieces)
        #expect(s.count == 2)
        #expect(s[0].start == 5 && s[0].end == 12)
    }

    @Test func youtube_sbv() throws {
        let text = "0:00:01.000,0:00:04.000\nHello and welcome.\n\n0:00:04.500,0:00:07.250\n>> HOST: Thanks for\nhaving me.\n"
        let pieces = try reader.read(data(text), format: .youtube, source: "captions.sbv")
        #expect(pieces == [
            TextPiece(text: "Hello and welcome.", start: 1, end: 4),
            TextPiece(text: "Thanks for having me.", start: 4.5, end: 7.25, speaker: "HOST", breakBefore: true),
        ])
        #expect(inputError { _ = try reader.read(data("just words\n"), format: .youtube, source: "x") }?.contains("timestamp") == true)
    }

    // MARK: - Plain text

    @Test func text_speakerPrefixes() throws {
        let text = """
        Panel discussion on orbital debris
        HENRY: Good evening and welcome.
        We have a lot to cover.
        Sen. Walsh: Thank you, Henry.
        Note: this part was recorded earlier.
        [JOHN SMITH] I disagree with that.
        >> ANCHOR: Back to you.
        The meeting starts at 10:30 sharp.

        A new paragraph.
        """
        let pieces = try reader.read(data(text), format: .text, source: "panel.txt")
        #expect(pieces.map(\.text) == [
            "Good evening and welcome.", "We have a lot to cover.", "Thank you, Henry.",
            "Note: this part was recorded earlier.", "I disagree with that.", "Back to you.",
            "The meeting starts at 10:30 sharp.", "A new paragraph.",
        ])
        #expect(pieces.map(\.speaker) == ["HENRY", "HENRY", "Sen. Walsh", "Sen. Walsh", "JOHN SMITH", "ANCHOR", "ANCHOR", "ANCHOR"])
        #expect(pieces.map(\.breakBefore) == [true, false, true, false, true, true, false, true])
    }

    @Test func text_ordinaryLinesAreNotSpeakers() {
        for line in ["Note: this is important.", "10:30: the meeting began.", "Breaking News: a launch.", "Henry: hello there.",
                     "The plan: go to the Moon.", "[Applause] Thank you.", "[MUSIC] la la", "HENRY:", "In Summary: it failed."] {
            #expect(SpeakerPrefix.parse(line[...]) == nil, "\(line)")
        }
        for (line, name) in [("Q: Why now?", "Q"), ("THE PRESIDENT: Thank you.", "THE PRESIDENT"), ("Moderator: Welcome.", "Moderator"),
                             ("Speaker 2: Yes.", "Speaker 2"), ("SMITH (through translator): We agree.", "SMITH"), ("John de Souza: Right.", "John de Souza")] {
            #expect(SpeakerPrefix.parse(line[...])?.speaker == name)
        }
    }

    @Test func text_matchesPlainTextSegmentationWithoutLabels() throws {
        let text = "Subtitles section Play video\nChina is moving\ninto space.\n\nIs Russia following?\n"
        let pieces = try reader.read(data(text), format: .text, source: "a.txt")
        #expect(pieces == SentenceSegmenter.pieces(fromPlainText: text))
    }

    @Test func lines_eachLineIsASentence() throws {
        let pieces = try reader.read(data("First line\r\n\r\nsecond line\rthird\n"), format: .lines, source: "a.txt")
        #expect(pieces.map(\.text) == ["First line", "second line", "third"])
        #expect(pieces.allSatisfy { $0.breakBefore })
    }

    // MARK: - JSON Lines and TSV

    @Test func jsonl_records() throws {
        let text = """
        {"text": "The treaty is failing.", "speaker": "GUEST", "start": 1, "end": 2.5}
        {"text": "We disagree."}

        {"speaker": "HOST", "start": 3}
        """
        let m = inputError { _ = try reader.read(data(text), format: .jsonl, source: "s.jsonl") }
        #expect(m?.hasPrefix("line 4:") == true)
        let good = text.split(separator: "\n").prefix(2).joined(separator: "\n")
        let pieces = try reader.read(data(good), format: .jsonl, source: "s.jsonl")
        #expect(pieces == [
            TextPiece(text: "The treaty is failing.", start: 1, end: 2.5, speaker: "GUEST", breakBefore: true),
            TextPiece(text: "We disagree.", breakBefore: true),
        ])
        #expect(inputError { _ = try reader.read(data("{\"text\": \"a\"}\n{\"text\": \"b\""), format: .jsonl, source: "s") }?.hasPrefix("line 2: malformed JSON") == true)
    }

    @Test func tsv_namedColumns() throws {
        let tsv = TranscriptReader(columns: ["line", "speaker", "text", "label"])
        let text = "1\tHOST\tWelcome to the show.\tneutral\n2\tGUEST\tThe treaty is failing.\trivalry\n3\t\tNo speaker here.\t\n"
        let pieces = try tsv.read(data(text), format: .tsv, source: "a.tsv")
        #expect(pieces == [
            TextPiece(text: "Welcome to the show.", speaker: "HOST", breakBefore: true),
            TextPiece(text: "The treaty is failing.", speaker: "GUEST", breakBefore: true),
            TextPiece(text: "No speaker here.", breakBefore: true),
        ])
        let short = inputError { _ = try tsv.read(data(text + "4\tHOST\n"), format: .tsv, source: "a.tsv") }
        #expect(short?.hasPrefix("line 4 has 2 tab-separated fields") == true)
        #expect(inputError { _ = try reader.read(data(text), format: .tsv, source: "a.tsv") }?.contains("--columns") == true)
        let timed = try TranscriptReader(columns: ["start", "end", "text"]).read(data("start\tend\ttext\n1.5\t00:00:03.000\tHi.\n"), format: .tsv, source: "b.tsv")
        #expect(timed == [TextPiece(text: "Hi.", start: 1.5, end: 3, breakBefore: true)])
    }

    // MARK: - Bytes

    @Test func binaryFileIsRejected() {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52])
        png.append(contentsOf: [UInt8](repeating: 0x41, count: 100))
        for format in TranscriptFormat.allCases {
            let m = inputError { _ = try TranscriptReader(columns: ["text"]).read(png, format: format, source: "photo.png") }
            #expect(m?.contains("binary") == true)
        }
    }

    @Test func invalidUTF8IsReplaced() throws {
        var bytes = Data("The caf".utf8)
        bytes.append(0xE9)
        bytes.append(contentsOf: Data(" is open.\n".utf8))
        let pieces = try reader.read(bytes, format: .text, source: "latin1.txt")
        #expect(pieces.map(\.text) == ["The caf\u{FFFD} is open."])
    }

    @Test func utf16WithByteOrderMarkIsDecoded() throws {
        var bytes = Data([0xFF, 0xFE])
        for u in "WEBVTT\n\n00:01.000 --> 00:02.000\nBonjour \u{00E0} tous.\n".utf16 { bytes.append(UInt8(u & 0xFF)); bytes.append(UInt8(u >> 8)) }
        #expect(try reader.cues(bytes, format: .vtt, source: "fr.vtt").map(\.text) == ["Bonjour \u{00E0} tous."])
    }

    @Test func longSingleLineWithoutNewline() throws {
        let line = String(repeating: "word ", count: 6_000_000) + "end."
        let pieces = try reader.read(data(line), format: .text, source: "big.txt")
        #expect(pieces.count == 1)
        #expect(pieces[0].text.utf8.count == 30_000_004)
        #expect(try reader.read(data(line), format: .lines, source: "big.txt").count == 1)
    }

    // MARK: - Markup

    @Test func markup_removesTagsAndDecodesEntities() {
        #expect(Markup.clean("a < b and <i>open") == "a < b and open")
        #expect(Markup.clean("<b>Bold</b>, <u>under</u> <c.yellow.bg_blue>colour</c> <lang en-GB>flavour</lang>") == "Bold, under colour flavour")
        #expect(Markup.clean("<v.loud HOST>Now<00:00:01.500> <font color=\"#ff0\">then</font>") == "Now then")
        #expect(Markup.clean("{\\an8}{\\i1}Top{\\i0} line") == "Top line")
        #expect(Markup.clean("<ruby>\u{6771}\u{4EAC}<rt>toukyou</rt></ruby>") == "\u{6771}\u{4EAC}")
        #expect(Markup.clean("Tom &amp; Jerry &lt;3 &quot;hi&quot; &apos;yo&apos;&nbsp;ok &#233;&#xE9; &#x1F680;") == "Tom & Jerry <3 \"hi\" 'yo' ok \u{E9}\u{E9} \u{1F680}")
        #expect(Markup.clean("&lt;i&gt;literal&lt;/i&gt; &unknown; & alone") == "<i>literal</i> &unknown; & alone")
        #expect(Markup.clean("if a<b and c>d then x<y") == "if a<b and c>d then x<y")
        #expect(Markup.clean("  line one\n  line two  ") == "line one line two")
    }

    @Test func formatFromExtension() {
        #expect(TranscriptFormat.fromExtension("talk.SRT") == .srt)
        #expect(TranscriptFormat.fromExtension("/x/y/a.vtt") == .vtt)
        #expect(TranscriptFormat.fromExtension("a.ndjson") == .jsonl)
        #expect(TranscriptFormat.fromExtension("a.sbv") == .youtube)
        #expect(TranscriptFormat.fromExtension("notes.text") == .text)
        #expect(TranscriptFormat.fromExtension("a.tsv") == .tsv)
        #expect(TranscriptFormat.fromExtension("a.docx") == nil)
        #expect(TranscriptFormat.fromExtension("dir.v2/README") == nil)
    }
}
