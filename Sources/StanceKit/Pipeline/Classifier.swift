import Dispatch
import Foundation

/// A sentence of a transcript with its labels.
public struct LabeledOutput: Sendable {
    public var doc: String
    public var index: Int
    public var sentence: Sentence
    public var predictions: [HeadPrediction]
}

/// Runs a model over transcripts.
public struct Classifier: Sendable {
    public let model: StanceModel
    public let segmenter = SentenceSegmenter()

    public init(model: StanceModel) { self.model = model }

    /// The sentences of a transcript. Formats that hold one sentence per
    /// line or record (lines, jsonl, tsv) are taken as they are; the others
    /// are joined and split by the segmenter.
    public func sentences(of data: Data, format: TranscriptFormat, source: String, reader: TranscriptReader = TranscriptReader()) throws -> [Sentence] {
        sentences(from: try reader.read(data, format: format, source: source), format: format)
    }

    /// The sentences of pieces read from a file of `format`.
    public func sentences(from pieces: [TextPiece], format: TranscriptFormat) -> [Sentence] {
        switch format {
        case .lines, .jsonl, .tsv:
            return pieces.compactMap { p in
                let t = p.text.trimmingWhitespace()
                return t.isEmpty ? nil : Sentence(text: String(t), start: p.start, end: p.end, speaker: p.speaker)
            }
        case .text, .srt, .vtt, .youtube:
            return segmenter.segment(pieces: pieces)
        }
    }

    /// Labels the sentences of one document, in parallel chunks; the output
    /// keeps input order and does not depend on the chunking (a sentence's
    /// labels depend on itself and, with context features, its neighbours).
    public func label(_ sentences: [Sentence], doc: String) -> [LabeledOutput] {
        guard !sentences.isEmpty else { return [] }
        var out = [LabeledOutput?](repeating: nil, count: sentences.count)
        let chunk = 256
        let chunks = (sentences.count + chunk - 1) / chunk
        let texts = sentences.map(\.text)
        out.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var scratch = VectorizerScratch()
                let range = (c * chunk)..<min((c + 1) * chunk, sentences.count)
                model.predictDocument(texts, range: range, scratch: &scratch) { i, predictions in
                    base[i] = LabeledOutput(doc: doc, index: i, sentence: sentences[i], predictions: predictions)
                }
            }
        }
        return out.map { $0! }
    }
}
