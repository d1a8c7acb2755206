import Dispatch
import Foundation

/// A sentence of a transcript with its labels.
public struct LabeledOutput: Sendable {
    public var doc: String
    public var index: Int
    public var sentence: Sentence
    public var predictions: [HeadPrediction]
}

/// How a transcript's text becomes sentences.
public enum InputFormat: String, Sendable, CaseIterable {
    /// A transcript: wrapped lines joined and split into sentences.
    case text
    /// One sentence per line.
    case lines
    /// JSON Lines records, each one sentence in "text".
    case jsonl
}

/// Runs a model over transcripts.
public struct Classifier: Sendable {
    public let model: StanceModel
    public let segmenter = SentenceSegmenter()

    public init(model: StanceModel) { self.model = model }

    /// Splits a transcript into sentences according to `format`.
    public func sentences(of data: Data, format: InputFormat, source: String) throws -> [Sentence] {
        let text = String(decoding: data, as: UTF8.self)  // invalid UTF-8 becomes U+FFFD
        switch format {
        case .text:
            return segmenter.segment(text: text)
        case .lines:
            return text.split(whereSeparator: \.isNewline).compactMap {
                let t = $0.trimmingWhitespace()
                return t.isEmpty ? nil : Sentence(text: String(t))
            }
        case .jsonl:
            var out: [Sentence] = []
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.trimmingWhitespace().isEmpty { continue }
                guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw StanceError.corpus(file: source, line: n + 1, message: "malformed JSON. Each line must be an object with a \"text\" field.")
                }
                guard let t = obj["text"] as? String else {
                    throw StanceError.corpus(file: source, line: n + 1, message: "the record has no string \"text\" field.")
                }
                out.append(Sentence(text: t, start: obj["start"] as? Double, end: obj["end"] as? Double, speaker: obj["speaker"] as? String))
            }
            return out
        }
    }

    /// Labels sentences, in parallel chunks; the output keeps input order and
    /// does not depend on the chunking.
    public func label(_ sentences: [Sentence], doc: String) -> [LabeledOutput] {
        guard !sentences.isEmpty else { return [] }
        var out = [LabeledOutput?](repeating: nil, count: sentences.count)
        let chunk = 256
        let chunks = (sentences.count + chunk - 1) / chunk
        out.withUnsafeMutableBufferPointer { buf in
            let base = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var scratch = VectorizerScratch()
                for i in (c * chunk)..<min((c + 1) * chunk, sentences.count) {
                    base[i] = LabeledOutput(doc: doc, index: i, sentence: sentences[i],
                                            predictions: model.predict(sentences[i].text, scratch: &scratch))
                }
            }
        }
        return out.map { $0! }
    }
}
