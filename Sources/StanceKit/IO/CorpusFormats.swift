import CSV
import Foundation

/// The annotated-corpus formats stance-train reads.
public enum CorpusFormat: String, Sendable, CaseIterable {
    /// `{"text": ..., "<head>": "<label>", "<head>_all": [...]}` per line.
    case jsonl
    /// A header row, then one sentence per record (RFC 4180 quoting);
    /// a cell may hold several labels separated by `|`.
    case csv
    /// As csv, tab-separated; without a header row when `--columns` names the fields.
    case tsv
    /// doccano text classification: `{"text": ..., "label": ["a", "b"]}` per line.
    case doccano
    /// A Label Studio JSON export: tasks whose annotations hold `choices` results.
    case labelstudio
    /// fastText: `__label__a __label__b text` per line.
    case fasttext

    /// From the file extension: .jsonl, .csv, .tsv, .json (Label Studio),
    /// .txt/.ft (fastText); a .jsonl file whose first record has a "label"
    /// array is doccano.
    public static func detect(path: String, data: Data) -> CorpusFormat {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "json": return .labelstudio
        case "txt", "ft", "fasttext": return .fasttext
        default:
            let firstLine = data.split(separator: UInt8(ascii: "\n"), maxSplits: 1).first ?? Data()
            if let o = try? JSONSerialization.jsonObject(with: firstLine) as? [String: Any], o["label"] is [Any] { return .doccano }
            return .jsonl
        }
    }
}

extension CorpusReader {
    /// Records from a CSV or TSV file with a header row: the `textColumn`
    /// holds the sentence; doc, speaker, id, start, end, split and sentence
    /// columns are metadata; every other column is a head (or only `heads`).
    func delimited(_ data: Data, source: String, delimiter: UnicodeScalar) throws -> Result {
        let text = String(decoding: data, as: UTF8.self)
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true, delimiter: delimiter) } catch {
            throw StanceError.corpus(file: source, line: 1, message: "cannot read the header row (\(error)).")
        }
        guard let header = reader.headerRow else { throw StanceError.corpus(file: source, line: 1, message: "the file is empty: a header row is needed.") }
        guard let textIndex = header.firstIndex(of: textColumn) else {
            throw StanceError.corpus(file: source, line: 1, message: "no column named \"\(textColumn)\" in the header (\(header.joined(separator: ", "))). Name the text column with --text-column.")
        }
        let headColumns = (heads ?? header.filter { !CorpusReader.reservedFields.contains($0) && $0 != textColumn })
        for h in headColumns where !header.contains(h) {
            throw StanceError.corpus(file: source, line: 1, message: "no column named \"\(h)\" in the header.")
        }
        var out: [LabeledSentence] = []
        var skipped = 0
        var record = 1
        let defaultDoc = CorpusReader.docName(source)
        while let row = reader.next() {
            record += 1
            if row.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            do {
                func field(_ name: String) -> String? { header.firstIndex(of: name).flatMap { $0 < row.count ? row[$0] : nil } }
                guard textIndex < row.count else { throw StanceError.corpus(file: source, line: record, message: "record \(record - 1) has \(row.count) fields, but the header names \(header.count).") }
                var labels: [String: [String]] = [:]
                for h in headColumns { labels[h] = (field(h) ?? "").split(separator: "|").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty } }
                out.append(try sentence(text: row[textIndex], labels: labels, doc: field("doc") ?? defaultDoc, speaker: field("speaker"),
                                        source: source, line: record))
            } catch let e as StanceError where skipInvalid { _ = e; skipped += 1 }
        }
        if let e = reader.error { throw StanceError.corpus(file: source, line: record, message: "malformed CSV (\(e)).") }
        return Result(sentences: out, skipped: skipped)
    }

    /// Records from a header-less TSV whose fields `columns` names; the file is one document.
    func namedColumns(_ data: Data, source: String, columns: [String]) throws -> Result {
        guard let textIndex = columns.firstIndex(of: textColumn) else {
            throw StanceError.corpus(file: source, line: 0, message: "--columns must name a \"\(textColumn)\" field.")
        }
        let headColumns = heads ?? columns.filter { !CorpusReader.reservedFields.contains($0) && $0 != textColumn && $0 != "line" }
        var out: [LabeledSentence] = []
        var skipped = 0
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingWhitespace().isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            do {
                guard fields.count >= columns.count else {
                    throw StanceError.corpus(file: source, line: n + 1, message: "\(fields.count) fields, but --columns names \(columns.count).")
                }
                var labels: [String: [String]] = [:]
                for h in headColumns { labels[h] = fields[columns.firstIndex(of: h)!].split(separator: "|").map { String($0) } }
                out.append(try sentence(text: fields[textIndex], labels: labels, doc: CorpusReader.docName(source),
                                        speaker: columns.firstIndex(of: "speaker").map { fields[$0] }, source: source, line: n + 1))
            } catch let e as StanceError where skipInvalid { _ = e; skipped += 1 }
        }
        return Result(sentences: out, skipped: skipped)
    }

    /// doccano: `{"text": ..., "label": [...]}`; the head is "label" (or the one `heads` names).
    func doccano(_ data: Data, source: String) throws -> Result {
        let head = heads?.first ?? "label"
        return try lines(data, source: source) { obj, n in
            guard let text = obj["text"] as? String else { throw StanceError.corpus(file: source, line: n, message: "the record has no string \"text\" field.") }
            let raw = obj["label"] ?? obj["labels"]
            let labels = (raw as? [Any])?.compactMap { ($0 as? String) ?? (($0 as? [Any])?.last as? String) } ?? (raw as? String).map { [$0] } ?? []
            return try sentence(text: text, labels: [head: labels], doc: CorpusReader.docName(source), speaker: nil, source: source, line: n)
        }
    }

    /// fastText: leading `__label__x` tokens are labels of the head "label".
    func fastText(_ data: Data, source: String) throws -> Result {
        let head = heads?.first ?? "label"
        var out: [LabeledSentence] = []
        var skipped = 0
        for (n, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.trimmingWhitespace().isEmpty { continue }
            var labels: [String] = []
            var rest = raw.trimmingWhitespace()
            while rest.hasPrefix("__label__") {
                let end = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? rest.endIndex
                labels.append(String(rest[rest.index(rest.startIndex, offsetBy: 9)..<end]))
                rest = rest[end...].trimmingWhitespace()
            }
            do {
                out.append(try sentence(text: String(rest), labels: [head: labels], doc: CorpusReader.docName(source), speaker: nil, source: source, line: n + 1))
            } catch let e as StanceError where skipInvalid { _ = e; skipped += 1 }
        }
        return Result(sentences: out, skipped: skipped)
    }

    /// A Label Studio JSON export: for each task, the latest annotation that
    /// was not cancelled; each `choices` result's `from_name` is a head.
    func labelStudio(_ data: Data, source: String) throws -> Result {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw StanceError.corpus(file: source, line: 1, message: "not valid JSON: a Label Studio export is one JSON array of tasks.")
        }
        guard let tasks = object as? [[String: Any]] else {
            throw StanceError.corpus(file: source, line: 1, message: "expected a JSON array of tasks (Label Studio's JSON export).")
        }
        var out: [LabeledSentence] = []
        var skipped = 0
        for (i, task) in tasks.enumerated() {
            let n = i + 1
            do {
                let taskData = task["data"] as? [String: Any] ?? [:]
                guard let text = (taskData[textColumn] as? String) ?? taskData.values.compactMap({ $0 as? String }).first else {
                    throw StanceError.corpus(file: source, line: n, message: "task \(n) has no text in \"data\".")
                }
                let annotations = (task["annotations"] as? [[String: Any]] ?? []).filter { ($0["was_cancelled"] as? Bool) != true }
                guard let latest = annotations.max(by: { CorpusReader.stamp($0) < CorpusReader.stamp($1) }) else {
                    skipped += 1   // no usable annotation: nothing to learn from this task
                    continue
                }
                var labels: [String: [String]] = [:]
                for r in latest["result"] as? [[String: Any]] ?? [] where (r["type"] as? String) == "choices" {
                    guard let name = r["from_name"] as? String, let choices = (r["value"] as? [String: Any])?["choices"] as? [String] else { continue }
                    if heads == nil || heads!.contains(name) { labels[name, default: []] += choices }
                }
                for h in heads ?? [] where labels[h] == nil { labels[h] = [] }
                out.append(try sentence(text: text, labels: labels, doc: (taskData["doc"] as? String) ?? CorpusReader.docName(source),
                                        speaker: taskData["speaker"] as? String, source: source, line: n))
            } catch let e as StanceError where skipInvalid { _ = e; skipped += 1 }
        }
        return Result(sentences: out, skipped: skipped)
    }

    /// The annotation's time stamp for "latest": updated_at, then created_at, then id.
    static func stamp(_ a: [String: Any]) -> String {
        let t = (a["updated_at"] as? String) ?? (a["created_at"] as? String) ?? ""
        let id = (a["id"] as? Int).map { String(format: "%012d", $0) } ?? ""
        return t + id
    }

    /// A document's name: its file name without folder and extension.
    static func docName(_ source: String) -> String { URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent }

    /// One record per non-blank line of JSON.
    func lines(_ data: Data, source: String, _ make: ([String: Any], Int) throws -> LabeledSentence) throws -> Result {
        var out: [LabeledSentence] = []
        var skipped = 0
        var n = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            n += 1
            if raw.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            do {
                let object: Any
                do { object = try JSONSerialization.jsonObject(with: Data(raw)) } catch {
                    throw StanceError.corpus(file: source, line: n, message: "malformed JSON. Each line must be one JSON object such as {\"text\": \"...\", \"stance\": \"rivalry\"}.")
                }
                guard let obj = object as? [String: Any] else {
                    throw StanceError.corpus(file: source, line: n, message: "expected a JSON object, found \(type(of: object)).")
                }
                out.append(try make(obj, n))
            } catch let e as StanceError where skipInvalid { _ = e; skipped += 1 }
        }
        return Result(sentences: out, skipped: skipped)
    }

    /// Builds a sentence from labels per head (primary first), checking them.
    func sentence(text: String, labels: [String: [String]], doc: String?, speaker: String?, source: String, line: Int) throws -> LabeledSentence {
        guard !text.trimmingWhitespace().isEmpty else { throw StanceError.corpus(file: source, line: line, message: "the text is empty.") }
        var primary: [String: String] = [:]
        var multi: [String: [String]] = [:]
        for (h, ls) in labels {
            guard let first = ls.first, !first.isEmpty else {
                throw StanceError.corpus(file: source, line: line, message: "no label for head \"\(h)\".")
            }
            primary[h] = first
            if ls.count > 1 { multi[h] = ls }
        }
        return LabeledSentence(doc: doc, speaker: speaker?.isEmpty == true ? nil : speaker, text: text, labels: primary, multiLabels: multi)
    }
}
