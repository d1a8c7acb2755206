import Foundation
import Testing
@testable import StanceKit

/// The same small corpus written in every format stance-train reads.
@Suite struct CorpusFormatTests {
    /// (text, labels); the last sentence carries two labels.
    static let rows: [(String, [String])] = TinyCorpus.records.map { ($0.0, [$0.1]) }
        + [("They signed a joint deal, then raced to dominate the market.", ["cooperation", "rivalry"])]

    static func write(_ format: CorpusFormat) -> (name: String, text: String) {
        func json(_ s: String) -> String { JSONValue.string(s).serialized() }
        switch format {
        case .jsonl:
            return ("c.jsonl", rows.map { t, l in
                "{\"text\": \(json(t)), \"label\": \(json(l[0]))" + (l.count > 1 ? ", \"label_all\": [\(l.map(json).joined(separator: ", "))]" : "") + "}"
            }.joined(separator: "\n") + "\n")
        case .csv:
            return ("c.csv", "text,label\n" + rows.map { t, l in "\"\(t.replacingOccurrences(of: "\"", with: "\"\""))\",\(l.joined(separator: "|"))" }.joined(separator: "\r\n") + "\r\n")
        case .tsv:
            return ("c.tsv", "label\ttext\n" + rows.map { t, l in "\(l.joined(separator: "|"))\t\(t)" }.joined(separator: "\n") + "\n")
        case .doccano:
            return ("c.jsonl", rows.enumerated().map { i, r in "{\"id\": \(i), \"text\": \(json(r.0)), \"label\": [\(r.1.map(json).joined(separator: ", "))]}" }.joined(separator: "\n"))
        case .labelstudio:
            let tasks = rows.enumerated().map { i, r -> String in
                let result = "[{\"from_name\": \"label\", \"to_name\": \"text\", \"type\": \"choices\", \"value\": {\"choices\": [\(r.1.map(json).joined(separator: ", "))]}}]"
                // An older annotation with another label, and a cancelled later one: the latest kept one counts.
                let old = "{\"id\": \(2 * i), \"created_at\": \"2024-01-01T00:00:00Z\", \"result\": [{\"from_name\": \"label\", \"to_name\": \"text\", \"type\": \"choices\", \"value\": {\"choices\": [\"none\"]}}]}"
                let good = "{\"id\": \(2 * i + 1), \"created_at\": \"2024-02-01T00:00:00Z\", \"result\": \(result)}"
                let cancelled = "{\"id\": \(2 * i + 9999), \"created_at\": \"2024-03-01T00:00:00Z\", \"was_cancelled\": true, \"result\": []}"
                return "{\"id\": \(i), \"data\": {\"text\": \(json(r.0))}, \"annotations\": [\(old), \(good), \(cancelled)]}"
            }
            return ("c.json", "[\n" + tasks.joined(separator: ",\n") + "\n]\n")
        case .fasttext:
            return ("c.txt", rows.map { t, l in l.map { "__label__\($0)" }.joined(separator: " ") + " " + t }.joined(separator: "\n") + "\n")
        }
    }

    func read(_ format: CorpusFormat, columns: [String]? = nil) throws -> [LabeledSentence] {
        let (name, text) = CorpusFormatTests.write(format)
        let dir = Repo.temporaryDirectory()
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var reader = CorpusReader(format: format == .doccano ? .doccano : nil, columns: columns)
        if format == .tsv, columns != nil { reader.format = .tsv }
        return try reader.read(path: path).sentences
    }

    @Test func everyFormatReadsTheSameSentencesAndTrainsTheSameModel() throws {
        let reference = try read(.jsonl)
        #expect(reference.count == CorpusFormatTests.rows.count)
        #expect(reference.last?.multiLabels["label"] == ["cooperation", "rivalry"])
        let model = try Trainer().train(reference, schema: try CorpusSchema.infer(reference, source: "ref")).model
        for format in CorpusFormat.allCases where format != .jsonl {
            let s = try read(format)
            #expect(s.map(\.text) == reference.map(\.text), "\(format)")
            #expect(s.map(\.labels) == reference.map(\.labels), "\(format)")
            #expect(s.map(\.multiLabels) == reference.map(\.multiLabels), "\(format)")
            let m = try Trainer().train(s, schema: try CorpusSchema.infer(s, source: format.rawValue)).model
            #expect(m.heads == model.heads && m.vectorizer.terms == model.vectorizer.terms, "\(format)")
        }
    }

    @Test func headerlessTsvWithNamedColumns() throws {
        let dir = Repo.temporaryDirectory()
        let path = dir.appendingPathComponent("debate.tsv").path
        try "1\tHOST\tWhat is the plan?\tnone\n2\tGUEST\tWe will build the base together.\tcooperation\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = try CorpusReader(format: .tsv, columns: ["line", "speaker", "text", "stance"]).read(path: path).sentences
        #expect(s.map(\.speaker) == ["HOST", "GUEST"])
        #expect(s.map { $0.labels["stance"] } == ["none", "cooperation"])
        #expect(s.allSatisfy { $0.doc == "debate" })
    }

    @Test func errorsNameTheFileAndLine() throws {
        let dir = Repo.temporaryDirectory()
        let csv = dir.appendingPathComponent("bad.csv").path
        try "text,stance\nfine sentence,rivalry\n,cooperation\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: StanceError.corpus(file: csv, line: 3, message: "the text is empty.")) { try CorpusReader().read(path: csv) }
        let skipped = try CorpusReader(skipInvalid: true).read(path: csv)
        #expect(skipped.sentences.count == 1 && skipped.skipped == 1)
        let noText = dir.appendingPathComponent("x.csv").path
        try "sentence,stance\na,b\n".write(toFile: noText, atomically: true, encoding: .utf8)
        do { _ = try CorpusReader().read(path: noText); Issue.record("accepted a CSV without a text column") } catch let e as StanceError {
            #expect("\(e)".contains("no column named \"text\"") && "\(e)".contains("--text-column"))
        }
        let one = [LabeledSentence(text: "a", labels: ["stance": "x"]), LabeledSentence(text: "b", labels: ["stance": "x"])]
        #expect(throws: StanceError.self) { try CorpusSchema.infer(one, source: "one.jsonl") }
    }
}

@Suite struct MultiLabelTests {
    @Test func aTwoLabelSentenceReportsBothLabels() throws {
        var sentences = TinyCorpus.sentences()
        // Sentences that are about a deal and a race at once.
        let both = [
            "They signed a joint deal together, then raced to dominate the rival market.",
            "The partners agreed to share the station while competing to beat each other to the Moon.",
            "A joint agreement did not stop the race to catch up with the rival.",
            "Cooperation on the deal continued even as the rivals competed to dominate.",
        ]
        for t in both {
            sentences.append(LabeledSentence(text: t, labels: ["stance": "cooperation", "claim": "factual"],
                                             multiLabels: ["stance": ["cooperation", "rivalry"]]))
        }
        let model = try Trainer().train(sentences, schema: try CorpusSchema.infer(sentences, source: "t")).model
        let stance = try #require(model.heads.first { $0.name == "stance" })
        #expect(stance.isMultiLabel)
        #expect(model.heads.first { $0.name == "claim" }?.isMultiLabel == false)
        let p = try #require(model.predict("They signed a joint deal together, then raced to dominate the rival market.").first { $0.head == "stance" })
        #expect(Set(p.all ?? []) == ["cooperation", "rivalry"])
        let back = try ModelFile.decode(ModelFile.encode(model))
        #expect(back.heads == model.heads)
        let record = OutputWriter.jsonRecord(LabeledOutput(doc: "d", index: 0, sentence: Sentence(text: "x"), predictions: [p]))
        #expect(record.contains("\"stance_all\": ["))
    }

    @Test func thresholdMaximisesF1() {
        #expect(OneVsRest.bestThreshold(scores: [0.9, 0.8, 0.3, 0.2], relevant: [true, true, false, false]) == 0.8)
        #expect(OneVsRest.bestThreshold(scores: [0.9, 0.8], relevant: [false, false]) == 0.5)
    }
}
