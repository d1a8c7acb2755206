/// Output formats of stance-classify.
public enum OutputFormat: String, Sendable, CaseIterable {
    case jsonl
    case table
}

/// Renders labelled sentences.
public enum OutputWriter {
    /// One JSON object per sentence:
    /// `{"doc", "sentence", "text", "start"?, "end"?, "speaker"?, "<head>": label..., "scores": {head: {label: p}}}`
    public static func jsonRecord(_ o: LabeledOutput) -> String {
        var out: [UInt8] = []
        jsonRecord(o, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the record and a newline-free JSON object to `out`.
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

    /// An aligned table for a terminal: number, each head's label and score, text.
    public static func table(_ outputs: [LabeledOutput], heads: [String], width: Int = 100) -> String {
        guard !outputs.isEmpty else { return "" }
        var colWidths = heads.map { h in
            max(h.count, outputs.map { o in (o.predictions.first { $0.head == h }?.label.count ?? 0) + 5 }.max() ?? 0)
        }
        colWidths = colWidths.map { min($0, 24) }
        var s = pad("#", 4)
        for (h, w) in zip(heads, colWidths) { s += "  " + pad(h, w) }
        s += "  text\n"
        for o in outputs {
            var line = pad("\(o.index)", 4)
            for (h, w) in zip(heads, colWidths) {
                if let p = o.predictions.first(where: { $0.head == h }) {
                    let score = p.scores.first { $0.label == p.label }?.probability ?? 0
                    line += "  " + pad("\(p.label) \(Int((score * 100).rounded()))", w)
                } else {
                    line += "  " + pad("-", w)
                }
            }
            line += "  " + o.sentence.text
            s += line + "\n"
        }
        return s
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
}
