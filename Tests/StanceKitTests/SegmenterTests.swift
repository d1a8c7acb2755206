import Foundation
import Testing
@testable import StanceKit

@Suite struct SegmenterTests {
    let seg = SentenceSegmenter()

    @Test func seedTranscriptHas68Sentences() throws {
        let text = try String(contentsOf: Repo.seedTranscript, encoding: .utf8)
        let s = seg.segment(text: text)
        #expect(s.count == 68)
        #expect(s.first?.text == "Outer space is a key part of the China dream.")
        #expect(s[5].text == "The president, Xi Jinping, has said that outer space is a key part of the China dream.")
        #expect(s.last?.text == "It's another thing altogether to get it up there.")
    }

    @Test func joinsWrappedSubtitleLines() {
        let s = seg.segment(text: "China is moving\ninto space in a big way.\nIs Russia\nfollowing?")
        #expect(s.map(\.text) == ["China is moving into space in a big way.", "Is Russia following?"])
    }

    @Test func abbreviationsDecimalsAndInitialsDoNotEndSentences() {
        let s = seg.segment(text: "Dr. Chen met Mr. Ivanov at 9 a.m. on Monday. The U.S. budget grew 3.5 percent. John F. Kennedy spoke in 1961.")
        #expect(s.map(\.text) == [
            "Dr. Chen met Mr. Ivanov at 9 a.m. on Monday.",
            "The U.S. budget grew 3.5 percent.",
            "John F. Kennedy spoke in 1961.",
        ])
    }

    @Test func abbreviationCanEndASentence() {
        let s = seg.segment(text: "The launch was delayed in the U.S. But China went ahead.")
        #expect(s.count == 2)
    }

    @Test func quotesEllipsesAndQuestions() {
        let s = seg.segment(text: "He said, \"We will go.\" Then he left... Nobody knew why. Was it over? \"Yes!\" she said. Wait... what?")
        #expect(s.map(\.text) == ["He said, \"We will go.\"", "Then he left...", "Nobody knew why.", "Was it over?", "\"Yes!\" she said.", "Wait... what?"])
    }

    @Test func dropsBoilerplateOnlyWhenClearlySeparate() {
        #expect(seg.segment(text: "Subtitles section Play video\nOuter space matters.").map(\.text) == ["Outer space matters."])
        // A first line that continues into the next is kept.
        #expect(seg.segment(text: "Ever since the Soviet Union launched\nits first satellite, space mattered.").count == 1)
        #expect(seg.segment(text: "President Xi said that\nOuter space is a dream.").count == 1)
        #expect(seg.segment(text: "Moscow and Beijing,\nTogether, plan a base.").count == 1)
        #expect(seg.segment(text: "China Russia space deal\nthe two agreed in March.").count == 1)
    }

    @Test func blankLinesAndSpeakersBreakSentences() {
        let s = seg.segment(pieces: [
            TextPiece(text: "We signed the deal", speaker: "A"),
            TextPiece(text: "and then", speaker: "B"),
            TextPiece(text: "it ended", speaker: "B", breakBefore: true),
        ])
        #expect(s.map(\.text) == ["We signed the deal", "and then", "it ended"])
        #expect(s.map(\.speaker) == ["A", "B", "B"])
    }

    @Test func timesFollowCuesAndShareThemByLength() {
        let s = seg.segment(pieces: [
            TextPiece(text: "One two three", start: 0, end: 3),
            TextPiece(text: "four. Five six.", start: 3, end: 6),
        ])
        #expect(s.count == 2)
        #expect(s[0].start == 0)
        #expect(s[1].end == 6)
        let boundary = try! #require(s[0].end)
        #expect(boundary > 3 && boundary < 6)
        #expect(s[1].start! >= boundary)
    }

    @Test func rejoiningKeepsEveryNonSpaceCharacter() {
        let texts = ["Hello. World? Yes!! No...", "U.S.-China ties (\"frosty\") improved. OK.", "a\u{2026}B. C", "", "...", "?!?! x. Y."]
        for text in texts {
            let joined = seg.segment(text: text).map(\.text).joined()
            #expect(joined.filter { !$0.isWhitespace } == text.filter { !$0.isWhitespace })
        }
    }
}
