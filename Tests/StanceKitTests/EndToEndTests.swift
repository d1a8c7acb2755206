import Foundation
import Testing
@testable import StanceKit

/// Runs the built executables (scripts/test builds them first) and checks what they print.
@Suite(.serialized) struct EndToEndTests {
    struct Run { var status: Int32; var stdout: String; var stderr: String }

    /// The built executables: .build/debug, or STANCE_BIN_DIR (e.g. a sanitizer build's folder).
    static let binDir = ProcessInfo.processInfo.environment["STANCE_BIN_DIR"].map { URL(fileURLWithPath: $0) }
        ?? Repo.root.appendingPathComponent(".build/debug")

    func run(_ tool: String, _ args: [String], stdin: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = EndToEndTests.binDir.appendingPathComponent(tool)
        p.arguments = args
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func records(_ s: String) throws -> [[String: Any]] {
        try s.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test func trainClassifyEvaluate() throws {
        let dir = Repo.temporaryDirectory()
        let corpus = dir.appendingPathComponent("tiny.jsonl")
        try TinyCorpus.jsonl().write(to: corpus, atomically: true, encoding: .utf8)
        let model = dir.appendingPathComponent("tiny.stance").path

        let t = try run("stance-train", ["--output", model, corpus.path])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("sentences   18"))
        #expect(t.stdout.contains("head stance: 3 labels"))

        let c = try run("stance-classify", ["--model", model, "--input-format", "lines", "-"],
                        stdin: "They fired a missile at the satellite.\nThe agencies signed a joint deal together.\n")
        #expect(c.status == 0, "\(c.stderr)")
        let recs = try records(c.stdout)
        #expect(recs.count == 2)
        #expect(recs.map { $0["stance"] as? String } == ["militarisation", "cooperation"])
        #expect(recs[0]["doc"] as? String == "stdin")
        let scores = try #require((recs[0]["scores"] as? [String: Any])?["stance"] as? [String: Double])
        #expect(abs(scores.values.reduce(0, +) - 1) < 1e-3)

        let e = try run("stance-eval", ["--model", model, "--format", "json", corpus.path])
        #expect(e.status == 0, "\(e.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as! [String: Any]
        let stance = try #require((report["heads"] as? [String: Any])?["stance"] as? [String: Any])
        #expect((stance["accuracy"] as? Double ?? 0) > 0.9)
        #expect(stance["confusion"] != nil && stance["per_class"] != nil && stance["macro_f1"] != nil)

        let text = try run("stance-eval", ["--model", model, corpus.path])
        #expect(text.stdout.contains("confusion (rows: gold, columns: predicted)"))
    }

    @Test func trainingIsByteIdenticalOnOneOrTwoCores() throws {
        let dir = Repo.temporaryDirectory()
        let corpus = dir.appendingPathComponent("tiny.jsonl")
        try TinyCorpus.jsonl().write(to: corpus, atomically: true, encoding: .utf8)
        let bin = EndToEndTests.binDir.appendingPathComponent("stance-train").path
        func train(_ name: String, cores: String?) throws -> Data {
            let out = dir.appendingPathComponent(name).path
            let p = Process()
            if let cores, FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset") {
                p.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
                p.arguments = ["-c", cores, bin, "--context", "0.5", "--char-ngrams", "2-4", "-o", out, corpus.path]
            } else {
                p.executableURL = URL(fileURLWithPath: bin)
                p.arguments = ["--context", "0.5", "--char-ngrams", "2-4", "-o", out, corpus.path]
            }
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            return try Data(contentsOf: URL(fileURLWithPath: out))
        }
        let one = try train("one.stance", cores: "0")
        let all = try train("all.stance", cores: nil)
        #expect(one == all)
    }

    @Test func defaultModelLabelsTheSeedTranscript() throws {
        let r = try run("stance-classify", [Repo.seedTranscript.path])
        #expect(r.status == 0, "\(r.stderr)")
        let recs = try records(r.stdout)
        #expect(recs.count == 68)
        #expect(Set(recs.compactMap { $0["stance"] as? String }).isSubset(of: ["cooperation", "rivalry", "militarisation", "prestige", "none"]))
        #expect(recs.allSatisfy { $0["perspective"] != nil && $0["claim"] != nil })
    }

    @Test func errorsSayWhatAndWhere() throws {
        let dir = Repo.temporaryDirectory()
        let bad = dir.appendingPathComponent("bad.jsonl")
        try "{\"text\": \"fine\", \"stance\": \"a\"}\n{\"text\": \"oops\", \"stance\": \n".write(to: bad, atomically: true, encoding: .utf8)
        let existing = dir.appendingPathComponent("keep.stance")
        try Data([1, 2, 3]).write(to: existing)
        let t = try run("stance-train", ["--output", existing.path, bad.path])
        #expect(t.status == 1)
        #expect(t.stderr.contains("bad.jsonl:2: malformed JSON"))
        #expect(try Data(contentsOf: existing) == Data([1, 2, 3]))

        let m = try run("stance-classify", ["--model", existing.path, "-"], stdin: "x")
        #expect(m.status == 1)
        #expect(m.stderr.contains("not a stance model"))

        let u = try run("stance-classify", ["--format", "xml", "-"], stdin: "x")
        #expect(u.status == 64)
        #expect(u.stderr.contains("--format must be one of"))

        let missing = try run("stance-classify", [dir.appendingPathComponent("nope.txt").path, Repo.seedTranscript.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.txt"))
        #expect(try records(missing.stdout).count == 68)
    }
}
