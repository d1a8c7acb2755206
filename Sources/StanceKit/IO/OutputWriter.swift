import Foundation

/// Output formats of stance-classify.
public enum OutputFormat: String, Sendable, CaseIterable {
    case jsonl, csv, tsv, table, labelstudio, srt, vtt, html

    /// The file extension for --output-dir.
    public var fileExtension: String {
        switch self {
        case .table: return "txt"
        case .labelstudio: return "json"
        default: return rawValue
        }
    }

    /// Formats that rewrite the input's cues (and so hold one document each).
    public var needsCues: Bool { self == .srt || self == .vtt }

    /// Formats that hold one document (and so one file) each.
    public var onePerDocument: Bool { needsCues || self == .html }
}

/// Renders labelled sentences.
public enum OutputWriter {
    // MARK: JSON Lines

    public static func jsonRecord(_ o: LabeledOutput) -> String {
        var out: [UInt8] = []
        jsonRecord(o, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one JSON object (no newline):
    /// `{"doc", "sentence", "text", "start"?, "end"?, "speaker"?, "<head>": label, "<head>_all"?: [...],
    /// ..., "scores": {head: {label: p}}}` (`<head>_all` for multi-label heads).
    public static func jsonRecord(_ o: LabeledOutput, into out: inout [UInt8]) {
        JSONBytes.key("{\"doc\": ", into: &out)
        JSONBytes.string(o.doc, into: &out)
        JSONBytes.key(", \"sentence\": ", into: &out)
        JSONBytes.integer(Int64(o.index), into: &out)
        JSONBytes.key(", \"text\": ", into: &out)
        JSONBytes.string(o.sentence.text, into: &out)
        if let s = o.sentence.start { JSONBytes.key(", \"start\": ", into: &out); JSONBytes.number(s, into: &out) }
        if let e = o.sentence.end { JSONBytes.key(", \"end\": ", into: &out); JSONBytes.number(e, into: &out) }
        if let sp = o.sentence.speaker { JSONBytes.key(", \"speaker\": ", into: &out); JSONBytes.string(sp, into: &out) }
        for p in o.predictions {
            JSONBytes.key(", ", into: &out)
            JSONBytes.string(p.head, into: &out)
            JSONBytes.key(": ", into: &out)
            JSONBytes.string(p.label, into: &out)
            if let all = p.all {
                JSONBytes.key(", ", into: &out)
                JSONBytes.string(p.head + "_all", into: &out)
                JSONBytes.key(": [", into: &out)
                for (i, l) in all.enumerated() {
                    if i > 0 { JSONBytes.key(", ", into: &out) }
                    JSONBytes.string(l, into: &out)
                }
                out.append(0x5D)
            }
        }
        JSONBytes.key(", \"scores\": {", into: &out)
        for (i, p) in o.predictions.enumerated() {
            if i > 0 { JSONBytes.key(", ", into: &out) }
            JSONBytes.string(p.head, into: &out)
            JSONBytes.key(": {", into: &out)
            for (j, s) in p.scores.enumerated() {
                if j > 0 { JSONBytes.key(", ", into: &out) }
                JSONBytes.string(s.label, into: &out)
                JSONBytes.key(": ", into: &out)
                JSONBytes.number(Double(s.probability), into: &out)
            }
            out.append(0x7D)
        }
        JSONBytes.key("}}", into: &out)
    }

    // MARK: CSV and TSV

    /// Column names: doc, sentence, start, end, speaker, text, then each head
    /// and its score.
    public static func delimitedHeader(heads: [String], separator: UInt8) -> [UInt8] {
        let names = ["doc", "sentence", "start", "end", "speaker", "text"] + heads.flatMap { [$0, "\($0)_score"] }
        var out: [UInt8] = []
        for (i, n) in names.enumerated() {
            if i > 0 { out.append(separator) }
            out += Array(n.utf8)
        }
        out.append(0x0A)
        return out
    }

    /// One row. CSV quotes fields as RFC 4180 says (a field holding a comma,
    /// quote or line break is quoted, quotes doubled); TSV replaces tabs and
    /// line breaks inside a field by spaces.
    public static func delimitedRow(_ o: LabeledOutput, heads: [String], separator: UInt8, into out: inout [UInt8]) {
        var fields: [String] = [o.doc, String(o.index), o.sentence.start.map(JSONValue.number) ?? "",
                                o.sentence.end.map(JSONValue.number) ?? "", o.sentence.speaker ?? "", o.sentence.text]
        for h in heads {
            let p = o.predictions.first { $0.head == h }
            fields.append(p?.label ?? "")
            fields.append(p.map { pr in JSONValue.number(Double(pr.scores.first { $0.label == pr.label }?.probability ?? 0)) } ?? "")
        }
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(separator) }
            if separator == 0x09 {
                out += f.utf8.map { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
            } else if f.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                out.append(0x22)
                for b in f.utf8 { if b == 0x22 { out.append(0x22) }; out.append(b) }
                out.append(0x22)
            } else {
                out += Array(f.utf8)
            }
        }
        out.append(0x0A)
    }

    // MARK: Label Studio

    /// One Label Studio task per sentence: the text (with doc, sentence,
    /// speaker and times) under "data", and a prediction holding one
    /// `choices` result per head, with the model's probability as score, so
    /// annotators start from the model's labels and correct them.
    public static func labelStudioTask(_ o: LabeledOutput, modelVersion: String, into out: inout [UInt8]) {
        JSONBytes.key("{\"data\": {\"text\": ", into: &out)
        JSONBytes.string(o.sentence.text, into: &out)
        JSONBytes.key(", \"doc\": ", into: &out)
        JSONBytes.string(o.doc, into: &out)
        JSONBytes.key(", \"sentence\": ", into: &out)
        JSONBytes.integer(Int64(o.index), into: &out)
        if let sp = o.sentence.speaker { JSONBytes.key(", \"speaker\": ", into: &out); JSONBytes.string(sp, into: &out) }
        if let s = o.sentence.start { JSONBytes.key(", \"start\": ", into: &out); JSONBytes.number(s, into: &out) }
        if let e = o.sentence.end { JSONBytes.key(", \"end\": ", into: &out); JSONBytes.number(e, into: &out) }
        JSONBytes.key("}, \"predictions\": [{\"model_version\": ", into: &out)
        JSONBytes.string(modelVersion, into: &out)
        let top = o.predictions.map { p in Double(p.scores.first { $0.label == p.label }?.probability ?? 0) }
        JSONBytes.key(", \"score\": ", into: &out)
        JSONBytes.number(top.isEmpty ? 0 : top.reduce(0, +) / Double(top.count), into: &out)
        JSONBytes.key(", \"result\": [", into: &out)
        for (i, p) in o.predictions.enumerated() {
            if i > 0 { JSONBytes.key(", ", into: &out) }
            JSONBytes.key("{\"from_name\": ", into: &out)
            JSONBytes.string(p.head, into: &out)
            JSONBytes.key(", \"to_name\": \"text\", \"type\": \"choices\", \"value\": {\"choices\": [", into: &out)
            for (j, l) in (p.all ?? [p.label]).enumerated() {
                if j > 0 { JSONBytes.key(", ", into: &out) }
                JSONBytes.string(l, into: &out)
            }
            JSONBytes.key("]}, \"score\": ", into: &out)
            JSONBytes.number(top[i], into: &out)
            out.append(0x7D)
        }
        JSONBytes.key("]}]}", into: &out)
    }

    // MARK: Subtitles with labels

    /// The input's cues with the labels of the sentences they carry added as
    /// a last line, e.g. "[militarisation · us · factual]". A cue shows the
    /// sentences whose time span overlaps it (a sentence spanning cues is
    /// shown on each).
    public static func subtitles(cues: [Cue], outputs: [LabeledOutput], vtt: Bool) -> [UInt8] {
        var out: [UInt8] = vtt ? Array("WEBVTT\n\n".utf8) : []
        var first = 0
        for (n, cue) in cues.enumerated() {
            while first < outputs.count, (outputs[first].sentence.end ?? .infinity) < cue.start { first += 1 }
            var labels: [String] = []
            var k = first
            while k < outputs.count, (outputs[k].sentence.start ?? -.infinity) <= cue.end {
                let o = outputs[k]
                if (o.sentence.end ?? .infinity) >= cue.start, (o.sentence.start ?? -.infinity) < cue.end || cue.start == cue.end {
                    labels.append("[" + o.predictions.map(\.label).joined(separator: " · ") + "]")
                }
                k += 1
            }
            if !vtt { out += Array("\(n + 1)\n".utf8) }
            out += Array("\(timestamp(cue.start, vtt: vtt)) --> \(timestamp(cue.end, vtt: vtt))\n".utf8)
            var text = vtt ? cue.raw : cue.text
            if !vtt, let sp = cue.speaker, !text.hasPrefix(sp) { text = "\(sp): " + text }
            out += Array(text.utf8)
            if !labels.isEmpty { out += Array(("\n" + labels.joined(separator: " ")).utf8) }
            out += Array("\n\n".utf8)
        }
        return out
    }

    static func timestamp(_ seconds: Double, vtt: Bool) -> String {
        let ms = Int((max(seconds, 0) * 1000).rounded())
        let h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, f = ms % 1000
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let frac = f < 10 ? "00\(f)" : f < 100 ? "0\(f)" : "\(f)"
        return "\(two(h)):\(two(m)):\(two(s))\(vtt ? "." : ",")\(frac)"
    }

    // MARK: Table

    /// An aligned table for a terminal: number, speaker and time when known,
    /// each head's label and score (percent), and the text wrapped to `width`.
    public static func table(_ outputs: [LabeledOutput], heads: [String], width: Int = 120) -> String {
        guard !outputs.isEmpty else { return "" }
        let colWidths = heads.map { h in
            min(24, max(h.count, outputs.map { o in (o.predictions.first { $0.head == h }?.label.count ?? 0) + 4 }.max() ?? 0))
        }
        let showTime = outputs.contains { $0.sentence.start != nil }
        let speakerWidth = min(16, outputs.map { $0.sentence.speaker?.count ?? 0 }.max() ?? 0)
        var s = pad("#", 4)
        if showTime { s += "  " + pad("time", 8) }
        if speakerWidth > 0 { s += "  " + pad("speaker", max(speakerWidth, 7)) }
        for (h, w) in zip(heads, colWidths) { s += "  " + pad(h, w) }
        s += "  text\n"
        let indent = s.count - "text\n".count
        let textWidth = max(30, width - indent)
        for o in outputs {
            var line = pad("\(o.index)", 4)
            if showTime { line += "  " + pad(o.sentence.start.map(clock) ?? "", 8) }
            if speakerWidth > 0 { line += "  " + pad(String((o.sentence.speaker ?? "").prefix(16)), max(speakerWidth, 7)) }
            for (h, w) in zip(heads, colWidths) {
                if let p = o.predictions.first(where: { $0.head == h }) {
                    let score = p.scores.first { $0.label == p.label }?.probability ?? 0
                    line += "  " + pad("\(p.label) \(Int((score * 100).rounded()))", w)
                } else {
                    line += "  " + pad("-", w)
                }
            }
            let wrapped = wrap(o.sentence.text, width: textWidth)
            line += "  " + (wrapped.first ?? "")
            for more in wrapped.dropFirst() { line += "\n" + String(repeating: " ", count: indent) + more }
            s += line + "\n"
        }
        return s
    }

    static func clock(_ t: Double) -> String {
        let s = Int(t)
        return s >= 3600 ? "\(s / 3600):\(two(s / 60 % 60)):\(two(s % 60))" : "\(s / 60):\(two(s % 60))"
    }
    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
}
