import Foundation

/// One annotated sentence.
public struct LabeledSentence: Sendable, Equatable {
    public var doc: String?
    public var speaker: String?
    public var text: String
    /// The (primary) label of each head.
    public var labels: [String: String]
    /// All labels of a multi-label head ("stance_all"), primary first.
    public var multiLabels: [String: [String]]

    public init(doc: String? = nil, speaker: String? = nil, text: String, labels: [String: String], multiLabels: [String: [String]] = [:]) {
        self.doc = doc
        self.speaker = speaker
        self.text = text
        self.labels = labels
        self.multiLabels = multiLabels
    }
}

/// Reads annotated corpora (see `CorpusFormat`). In JSON Lines, one record
/// per line, `{"text": ..., "<head>": "<label>", ...}`: every string field
/// other than text, id, doc, speaker, start, end, split and sentence is a head
/// unless `heads` names them; `<head>_all` arrays hold a head's labels when
/// it has several (primary first).
public struct CorpusReader {
    public static let reservedFields: Set<String> = ["text", "id", "doc", "speaker", "start", "end", "split", "sentence"]
    public var heads: [String]?
    public var skipInvalid = false
    /// The format of every file, or nil to detect it from each file.
    public var format: CorpusFormat?
    /// Field names of a header-less TSV, e.g. ["line", "speaker", "text", "label"].
    public var columns: [String]?
    /// The field holding the sentence.
    public var textColumn = "text"

    public init(heads: [String]? = nil, skipInvalid: Bool = false, format: CorpusFormat? = nil, columns: [String]? = nil) {
        self.heads = heads
        self.skipInvalid = skipInvalid
        self.format = format
        self.columns = columns
    }

    public struct Result {
        public var sentences: [LabeledSentence]
        public var skipped: Int
    }

    public func read(path: String) throws -> Result {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StanceError.io("\(path): cannot read the corpus file (\(error.localizedDescription)).")
        }
        return try read(data: data, source: path)
    }

    public func read(data: Data, source: String) throws -> Result {
        switch format ?? CorpusFormat.detect(path: source, data: data) {
        case .jsonl: return try jsonLines(data: data, source: source)
        case .csv: return try delimited(data, source: source, delimiter: ",")
        case .tsv:
            if let columns { return try namedColumns(data, source: source, columns: columns) }
            return try delimited(data, source: source, delimiter: "\t")
        case .doccano: return try doccano(data, source: source)
        case .labelstudio: return try labelStudio(data, source: source)
        case .fasttext: return try fastText(data, source: source)
        }
    }

    func jsonLines(data: Data, source: String) throws -> Result {
        let defaultDoc = CorpusReader.docName(source)
        return try lines(data, source: source) { dict, n in try record(dict, defaultDoc: defaultDoc, source: source, line: n) }
    }

    func record(_ dict: [String: Any], defaultDoc: String, source: String, line n: Int) throws -> LabeledSentence {
        func fail(_ m: String) -> StanceError { .corpus(file: source, line: n, message: m) }
        guard let textValue = dict[textColumn] else { throw fail("the record has no \"\(textColumn)\" field.") }
        guard let text = textValue as? String else { throw fail("\"\(textColumn)\" must be a string.") }
        guard !text.trimmingWhitespace().isEmpty else { throw fail("\"text\" is empty.") }
        var labels: [String: String] = [:]
        var multi: [String: [String]] = [:]
        if let heads {
            for h in heads {
                guard let v = dict[h] else { throw fail("the record has no label for head \"\(h)\".") }
                guard let s = v as? String, !s.isEmpty else { throw fail("the label of head \"\(h)\" must be a non-empty string.") }
                labels[h] = s
            }
        } else {
            for (k, v) in dict where !CorpusReader.reservedFields.contains(k) && k != textColumn {
                if let s = v as? String { labels[k] = s }
            }
        }
        for (k, v) in dict where k.hasSuffix("_all") {
            let head = String(k.dropLast(4))
            guard let arr = v as? [Any], let strs = arr as? [String] else { throw fail("\"\(k)\" must be an array of label strings.") }
            multi[head] = strs
        }
        let doc = (dict["doc"] as? String) ?? (dict["doc"].map { "\($0)" }) ?? defaultDoc
        return LabeledSentence(doc: doc, speaker: dict["speaker"] as? String, text: text, labels: labels, multiLabels: multi)
    }
}

/// The heads of a corpus and their label sets, checked for consistency.
public struct CorpusSchema: Sendable, Equatable {
    public var heads: [(name: String, labels: [String])]

    public static func == (a: CorpusSchema, b: CorpusSchema) -> Bool {
        a.heads.map(\.name) == b.heads.map(\.name) && a.heads.map(\.labels) == b.heads.map(\.labels)
    }

    /// Heads in order of first appearance; labels sorted. Every record must
    /// label every head, and every head needs at least two labels.
    public static func infer(_ sentences: [LabeledSentence], source: String) throws -> CorpusSchema {
        guard let first = sentences.first else {
            throw StanceError.training("\(source): the corpus has no sentences.")
        }
        let names = first.labels.keys.sorted()
        guard !names.isEmpty else {
            throw StanceError.training("\(source): the records have no label fields. Add fields such as \"stance\": \"rivalry\", or name the heads with --head.")
        }
        var sets = [String: Set<String>]()
        for (i, s) in sentences.enumerated() {
            for h in names {
                guard let l = s.labels[h] else {
                    throw StanceError.training("\(source): sentence \(i + 1) (\"\(s.text.prefix(40))\") has no label for head \"\(h)\", which the first record has.")
                }
                sets[h, default: []].insert(l)
            }
        }
        for h in names where sets[h]!.count < 2 {
            throw StanceError.training("\(source): head \"\(h)\" has only one label (\(sets[h]!.first!)); a classifier needs at least two. Remove the field or name the heads with --head.")
        }
        return CorpusSchema(heads: names.map { ($0, sets[$0]!.sorted()) })
    }
}
