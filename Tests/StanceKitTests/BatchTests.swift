import Foundation
import Testing
@testable import StanceKit

/// stance-classify on batches of real-shaped transcripts (runs the built binary).
@Suite(.serialized) struct BatchTests {
    let e2e = EndToEndTests()

    static let srt = """
    1
    00:00:01,000 --> 00:00:04,000
    China launched the core module
    of its station in April 2021,

    2
    00:00:04,000 --> 00:00:08,000
    and within two years it was <i>complete</i>.
    NASA officials called it a challenge.

    3
    00:00:08,000 --> 00:00:10,500
    Was it a race?

    """

    static let vtt = """
    WEBVTT
    Kind: captions

    NOTE recorded at a hearing

    1
    00:00:00.500 --> 00:00:03.000 align:start position:10%
    <v Rep. Okafor>Russia tested a missile
    against its own satellite in 2021.

    2
    00:00:03.000 --> 00:00:06.000
    <v Dr. Lindqvist>The debris still threatens the station &amp; its crew.

    """

    func writeBatch() throws -> URL {
        let dir = Repo.temporaryDirectory().appendingPathComponent("in")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested"), withIntermediateDirectories: true)
        try "HOST: Welcome back.\nHOST: India landed near the south pole in 2023.\nGUEST: It was a first for any country.\n"
            .write(to: dir.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try BatchTests.srt.write(to: dir.appendingPathComponent("b.srt"), atomically: true, encoding: .utf8)
        try BatchTests.vtt.write(to: dir.appendingPathComponent("nested/c.vtt"), atomically: true, encoding: .utf8)
        try Data([0x00, 0xFF, 0x13, 0x00, 0x42, 0x00, 0x00]).write(to: dir.appendingPathComponent("d.srt"))
        try "ignored, not a transcript extension".write(to: dir.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func folderBatchWritesEveryGoodFileAndReportsTheBadOne() throws {
        let dir = try writeBatch()
        let out = dir.deletingLastPathComponent().appendingPathComponent("out")
        let r = try e2e.run("stance-classify", ["--output-dir", out.path, dir.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("d.srt"))
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["a.jsonl", "b.jsonl", "c.jsonl"])
        let b = try e2e.records(String(contentsOf: out.appendingPathComponent("b.jsonl"), encoding: .utf8))
        #expect(b.map { $0["text"] as? String } == [
            "China launched the core module of its station in April 2021, and within two years it was complete.",
            "NASA officials called it a challenge.",
            "Was it a race?",
        ])
        // The first sentence runs from the first cue's start into the second cue.
        #expect(b[0]["start"] as? Double == 1)
        #expect((b[0]["end"] as? Double ?? 0) > 4 && (b[0]["end"] as? Double ?? 9) < 8)
        #expect(b[2]["start"] as? Double == 8 && b[2]["end"] as? Double == 10.5)
        let c = try e2e.records(String(contentsOf: out.appendingPathComponent("c.jsonl"), encoding: .utf8))
        #expect(c.map { $0["speaker"] as? String } == ["Rep. Okafor", "Dr. Lindqvist"])
        #expect(c[1]["text"] as? String == "The debris still threatens the station & its crew.")
        let a = try e2e.records(String(contentsOf: out.appendingPathComponent("a.jsonl"), encoding: .utf8))
        #expect(a.map { $0["speaker"] as? String } == ["HOST", "HOST", "GUEST"])
    }

    @Test func shardsGiveTheSameLabelsAsOneRun() throws {
        let dir = try writeBatch()
        let files = ["a.txt", "b.srt", "nested/c.vtt"].map { dir.appendingPathComponent($0).path }
        let whole = try e2e.run("stance-classify", files)
        #expect(whole.status == 0, "\(whole.stderr)")
        var pieces = ""
        for f in files { pieces += try e2e.run("stance-classify", [f]).stdout }
        #expect(pieces == whole.stdout)
        let reversed = try e2e.run("stance-classify", files.reversed())
        #expect(Set(reversed.stdout.split(separator: "\n")) == Set(whole.stdout.split(separator: "\n")))
    }

    @Test func outputFormats() throws {
        let dir = try writeBatch()
        let srt = dir.appendingPathComponent("b.srt").path
        let csv = try e2e.run("stance-classify", ["--format", "csv", srt])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "doc,sentence,start,end,speaker,text,claim,claim_score,perspective,perspective_score,stance,stance_score")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("b,0,1,") && lines[1].contains("\"China launched the core module of its station in April 2021, and within two years it was complete.\""))

        let tsv = try e2e.run("stance-classify", ["--format", "tsv", srt])
        #expect(tsv.stdout.split(separator: "\n").allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 12 })

        let ls = try e2e.run("stance-classify", ["--format", "labelstudio", srt, dir.appendingPathComponent("a.txt").path])
        let tasks = try #require(try JSONSerialization.jsonObject(with: Data(ls.stdout.utf8)) as? [[String: Any]])
        #expect(tasks.count == 6)
        let result = try #require(((tasks[0]["predictions"] as? [[String: Any]])?.first?["result"]) as? [[String: Any]])
        #expect(Set(result.compactMap { $0["from_name"] as? String }) == ["stance", "perspective", "claim"])
        #expect(result.allSatisfy { $0["type"] as? String == "choices" && $0["to_name"] as? String == "text" })

        let vtt = try e2e.run("stance-classify", ["--format", "vtt", srt])
        #expect(vtt.stdout.hasPrefix("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n"))
        #expect(vtt.stdout.components(separatedBy: " · ").count >= 7)

        let plainToSrt = try e2e.run("stance-classify", ["--format", "srt", dir.appendingPathComponent("a.txt").path])
        #expect(plainToSrt.status == 2 && plainToSrt.stderr.contains("needs timed cues"))

        let table = try e2e.run("stance-classify", ["--format", "table", srt])
        #expect(table.stdout.contains("speaker") == false && table.stdout.contains("0:01"))
    }

    @Test func standardInputAndTsvColumns() throws {
        let tsv = "1\tHOST\tMoscow says the satellite was an inspection craft.\tx\n2\tGUEST\tThe agencies signed a joint agreement.\ty\n"
        let r = try e2e.run("stance-classify", ["--input-format", "tsv", "--columns", "line,speaker,text,label", "-"], stdin: tsv)
        #expect(r.status == 0, "\(r.stderr)")
        let recs = try e2e.records(r.stdout)
        #expect(recs.map { $0["speaker"] as? String } == ["HOST", "GUEST"])
        #expect(recs.map { $0["doc"] as? String } == ["stdin", "stdin"])
        let bad = try e2e.run("stance-classify", ["--input-format", "tsv", "-"], stdin: tsv)
        #expect(bad.status == 64 && bad.stderr.contains("--columns"))
    }
}
