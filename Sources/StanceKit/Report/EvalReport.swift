/// `stance-eval --format html`: one self-contained page with, per head, the
/// headline numbers (accuracy, macro-F1, calibration error, average
/// precision when known), the confusion matrix as a heat map (each cell
/// shaded by its share of the gold row, with the count and share printed)
/// and per-label precision, recall and F1 as inline-SVG bars.
public enum EvalReport {
    public static func page(_ report: Evaluator.Report, sentences: Int, sources: [String], modelVersion: String) -> String {
        let files = sources.map(HTML.escape).joined(separator: ", ")
        var body = "<header>\n<h1>Evaluation</h1>\n<p class=\"meta\"><b>\(sentences)</b> gold sentence\(sentences == 1 ? "" : "s") from \(files.isEmpty ? "no file" : files) · model \(HTML.escape(modelVersion))</p>\n</header>\n"
        for (i, h) in report.heads.enumerated() { body += head(h, id: i) }
        body += "<footer>Made by stance-eval. One self-contained file: it makes no network requests. Colours from the Okabe–Ito palette; every colour is also named in text.</footer>\n"
        return HTML.page(title: "stance evaluation", body: body)
    }

    static func head(_ m: HeadMetrics, id: Int) -> String {
        let n = m.confusion.reduce(0) { $0 + $1.reduce(0, +) }
        var s = "<section class=\"head-eval\" aria-labelledby=\"head-\(id)\">\n<h2 id=\"head-\(id)\">\(HTML.escape(m.head))</h2>\n<div class=\"tiles\">"
        func tile(_ value: String, _ name: String) { s += "<div class=\"tile\"><b>\(value)</b><span>\(name)</span></div>" }
        tile(HTML.fixed(m.accuracy), "accuracy")
        tile(HTML.fixed(m.macroF1), "macro-F1")
        tile("\(n)", "sentences")
        if let e = m.calibrationError { tile(HTML.fixed(e), "calibration error (ECE, 10 bins)") }
        if let ap = m.averagePrecision, let p = m.positiveLabel { tile(HTML.fixed(ap), "average precision of “\(HTML.escape(p))”") }
        if let map = m.meanAveragePrecision { tile(HTML.fixed(map), "mean average precision over documents") }
        s += "</div>\n<div class=\"evalgrid\">\n"
        s += "<div class=\"scroll\"><h3>Confusion matrix</h3>\n\(confusion(m))</div>\n"
        s += "<div><h3>Precision, recall and F1 per label</h3>\n\(prfBars(m))</div>\n"
        return s + "</div>\n</section>\n"
    }

    /// Rows gold, columns predicted; a cell's shade is its share of the gold
    /// row (so the diagonal reads as recall), drawn in Okabe–Ito blue.
    static func confusion(_ m: HeadMetrics) -> String {
        var s = "<table class=\"confusion\">\n<caption>Rows: gold label; columns: predicted label. Each cell: sentences, and their share of the gold row (darker = larger). The diagonal, outlined, is correct.</caption>\n"
        s += "<thead><tr><th scope=\"col\">gold ↓ predicted →</th>"
        for l in m.labels { s += "<th scope=\"col\">\(HTML.escape(l))</th>" }
        s += "<th scope=\"col\">n</th></tr></thead>\n<tbody>\n"
        for (g, row) in m.confusion.enumerated() {
            let total = row.reduce(0, +)
            s += "<tr><th scope=\"row\">\(HTML.escape(m.labels[g]))</th>"
            for (p, count) in row.enumerated() {
                let share = total == 0 ? 0 : Double(count) / Double(total)
                let alpha = count == 0 ? 0 : 0.1 + 0.85 * share
                let ink = alpha > 0.5 ? "color:#fff;" : ""
                let tip = "gold \(m.labels[g]), predicted \(m.labels[p]): \(count) sentence\(count == 1 ? "" : "s") (\(HTML.percent(share)) of gold \(m.labels[g]))"
                s += "<td class=\"cm\(g == p ? " diag" : "")\" data-gold=\"\(HTML.escape(m.labels[g]))\" data-predicted=\"\(HTML.escape(m.labels[p]))\" "
                s += "style=\"background:rgba(0,114,178,\(HTML.fixed(alpha, 2)));\(ink)\" title=\"\(HTML.escape(tip))\">\(count)<span class=\"pct\">\(total == 0 ? "–" : HTML.percent(share))</span></td>"
            }
            s += "<td class=\"total\">\(total)</td></tr>\n"
        }
        return s + "</tbody>\n</table>\n"
    }

    static let measures: [(name: String, colour: String)] = [
        ("precision", Palette.blue), ("recall", Palette.orange), ("F1", Palette.bluishGreen),
    ]

    /// Three bars per label (precision, recall, F1), each with its value
    /// and initial written at its end; the label and its support on the left.
    static func prfBars(_ m: HeadMetrics) -> String {
        let left = 150.0, scale = 360.0, bar = 13.0, gap = 3.0, block = 3 * bar + 2 * gap + 14, top = 20.0
        let width = left + scale + 70
        let height = top + Double(m.perClass.count) * block
        var s = "<svg class=\"prf\" viewBox=\"0 0 \(HTML.coord(width)) \(HTML.coord(height))\" role=\"img\" aria-label=\"Precision, recall and F1 per label of \(HTML.escape(m.head))\">\n"
        for t in [0.0, 0.5, 1.0] {
            let x = left + t * scale
            s += "<line class=\"grid\" x1=\"\(HTML.coord(x))\" y1=\"\(HTML.coord(top - 4))\" x2=\"\(HTML.coord(x))\" y2=\"\(HTML.coord(height))\"/>"
            s += "<text x=\"\(HTML.coord(x))\" y=\"12\" text-anchor=\"middle\" font-size=\"12\">\(HTML.fixed(t, 1))</text>\n"
        }
        for (i, c) in m.perClass.enumerated() {
            let y = top + Double(i) * block
            let name = c.label.count > 20 ? String(c.label.prefix(19)) + "…" : c.label
            s += "<g class=\"label-row\"><title>\(HTML.escape(c.label)): precision \(HTML.fixed(c.precision)), recall \(HTML.fixed(c.recall)), F1 \(HTML.fixed(c.f1)), support \(c.support)</title>"
            s += "<text x=\"\(HTML.coord(left - 8))\" y=\"\(HTML.coord(y + bar + 4))\" text-anchor=\"end\" font-size=\"14\">\(HTML.escape(name))</text>"
            s += "<text x=\"\(HTML.coord(left - 8))\" y=\"\(HTML.coord(y + 2 * bar + 12))\" text-anchor=\"end\" font-size=\"12\" opacity=\".7\">n = \(c.support)</text>"
            for (k, v) in [c.precision, c.recall, c.f1].enumerated() {
                let by = y + Double(k) * (bar + gap)
                let w = max(v * scale, 0.5)
                s += "<rect x=\"\(HTML.coord(left))\" y=\"\(HTML.coord(by))\" width=\"\(HTML.coord(w))\" height=\"\(HTML.coord(bar))\" fill=\"\(measures[k].colour)\"/>"
                let initial = k == 2 ? "F1" : String(measures[k].name.prefix(1)).uppercased()
                s += "<text x=\"\(HTML.coord(left + w + 4))\" y=\"\(HTML.coord(by + bar - 2))\" font-size=\"12\">\(initial) \(HTML.fixed(v, 2))</text>"
            }
            s += "</g>\n"
        }
        s += "</svg>\n"
        return s + HTML.key(measures.map { HTML.Share(label: $0.name, colour: $0.colour, count: 0) })
    }
}
