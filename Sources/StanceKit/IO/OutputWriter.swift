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
        var fields: [(String, JSONValue)] = [("doc", .string(o.doc)), ("sentence", .number(Double(o.index))), ("text", .string(o.sentence.text))]
        if let s = o.sentence.start { fields.append(("start", .number(s))) }
        if let e = o.sentence.end { fields.append(("end", .number(e))) }
        if let sp = o.sentence.speaker { fields.append(("speaker", .string(sp))) }
        for p in o.predictions { fields.append((p.head, .string(p.label))) }
        fields.append(("scores", .object(o.predictions.map { p in
            (p.head, .object(p.scores.map { ($0.label, .number(Double($0.probability))) }))
        })))
        return JSONValue.object(fields).serialized()
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
