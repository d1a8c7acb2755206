import Foundation
import Testing
@testable import StanceKit

/// The streaming path for line files (LineStream + RecordRenderer) must write
/// exactly what the whole-file path (BatchClassifier + OutputWriter) writes.
@Suite struct StreamingTests {
    /// Awkward lines: quotes, backslashes, tabs, control characters, CRLF,
    /// blank lines, Unicode spaces to trim, invalid UTF-8, a long line, emoji.
    static func awkwardInput() -> Data {
        var d = Data()
        d += Data("The \"two\" agencies signed a deal \\ together.\r\n".utf8)
        d += Data("\n   \n".utf8)
        d += Data("\u{00A0}\u{3000}The missile\tdestroyed a satellite.\u{2003}\n".utf8)
        d += Data("control \u{01} char and emoji 🚀 in orbit\n".utf8)
        d += Data([0x62, 0x61, 0x64, 0x20, 0xFF, 0xFE, 0x20, 0x62, 0x79, 0x74, 0x65, 0x73, 0x0A])
        d += Data((String(repeating: "rivals race to dominate ", count: 400) + "\n").utf8)
        for r in TinyCorpus.records { d += Data((r.0 + "\n").utf8) }
        d += Data("last line without a newline".utf8)
        return d
    }

    /// TinyCorpus with a few two-label sentences, so that one head is multi-label.
    static func multiLabelModel() throws -> StanceModel {
        var s = TinyCorpus.sentences()
        for i in [0, 6, 12] { s[i].multiLabels["stance"] = [s[i].labels["stance"]!, "militarisation"] }
        let model = try Trainer().train(s, schema: try CorpusSchema.infer(s, source: "tiny")).model
        #expect(model.heads.contains { $0.isMultiLabel })
        return model
    }

    @Test(arguments: [OutputFormat.jsonl, .csv, .tsv])
    func streamWritesWhatTheWholeFilePathWrites(format: OutputFormat) throws {
        let dir = Repo.temporaryDirectory()
        let file = dir.appendingPathComponent("awkward.txt")
        try StreamingTests.awkwardInput().write(to: file)
        for model in [try TinyCorpus.model(), try StreamingTests.multiLabelModel()] {
            #expect(LineStream.supports(model))
            var batch = BatchClassifier(classifier: Classifier(model: model))
            batch.format = .lines
            let result = batch.process(file.path)
            #expect(result.error == nil)
            var expected: [UInt8] = []
            for o in result.outputs {
                switch format {
                case .jsonl: OutputWriter.jsonRecord(o, into: &expected); expected.append(0x0A)
                default: OutputWriter.delimitedRow(o, heads: model.heads.map(\.name), separator: format == .csv ? 0x2C : 0x09, into: &expected)
                }
            }
            for blockSize in [64, 1 << 22] {
                var stream = LineStream(model: model, renderer: try #require(RecordRenderer(format: format, model: model)))
                stream.blockSize = blockSize
                stream.pieceSize = 3
                var actual: [UInt8] = []
                let outcome = try stream.run(file.path, doc: result.doc) { actual += $0 }
                guard case .done(let n) = outcome else { Issue.record("not streamed"); continue }
                #expect(n == result.outputs.count)
                #expect(actual == expected, "\(format) with \(blockSize)-byte blocks differs from the whole-file path")
            }
        }
    }
}
