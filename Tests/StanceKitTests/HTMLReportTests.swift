import DefaultModel
import Foundation
import Testing
@testable import StanceKit

/// The HTML reports: escaping, the no-network rule, the index and evaluation
/// pages, and stance-classify's rules for --format html (runs the built binaries).
@Suite(.serialized) struct HTMLReportTests {
    let e2e = EndToEndTests()

    static let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"

    /// Tags the reports write; anything else in a page came from the input unescaped.
    static let knownTags: Set<String> = [
        "!doctype", "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section", "h1", "h2", "h3",
        "p", "b", "i", "a", "div", "span", "button", "ul", "ol", "li", "table", "caption", "thead", "tbody", "tfoot",
        "tr", "th", "td", "svg", "g", "rect", "line", "text", "script",
    ]

    static func prediction(_ head: String, _ label: String, _ scores: [(String, Float)], all: [String]? = nil) -> HeadPrediction {
        HeadPrediction(head: head, label: label, scores: scores.map { (label: $0.0, probability: $0.1) }, all: all)
    }

    static func output(_ i: Int, _ text: String, speaker: String? = nil, start: Double? = nil, _ predictions: [HeadPrediction]) -> LabeledOutput {
        LabeledOutput(doc: "d", index: i, sentence: Sentence(text: text, start: start, end: start.map { $0 + 2 }, speaker: speaker), predictions: predictions)
    }

    /// Fails on anything that could make the page touch the network.
    static func expectOffline(_ html: String, relativeLinks: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(html.contains(csp), "no Content-Security-Policy meta", sourceLocation: sourceLocation)
        let lower = html.lowercased()
        for banned in ["http:", "https:", "//", "<link", "@import", "@font-face", "<iframe", "<embed", "<object", "<base", "<img",
                       "fetch(", "xmlhttprequest", "websocket", "sendbeacon", "import("] {
            #expect(!lower.contains(banned), "page contains \(banned)", sourceLocation: sourceLocation)
        }
        for m in matches(#"\b(src|srcset|action|formaction|poster|background)\s*=\s*["']?([^"'\s>]*)"#, in: lower) {
            #expect(m[2].hasPrefix("data:"), "\(m[0]) points outside the page", sourceLocation: sourceLocation)
        }
        for m in matches(#"url\(\s*["']?([^"')]*)"#, in: lower) {
            #expect(m[1].hasPrefix("data:"), "\(m[0]) points outside the page", sourceLocation: sourceLocation)
        }
        for m in matches(#"href\s*=\s*"([^"]*)""#, in: html) {
            let ok = m[1].hasPrefix("#") || (relativeLinks && !m[1].contains(":") && !m[1].hasPrefix("/") && !m[1].isEmpty)
            #expect(ok, "link \(m[1]) is not a fragment\(relativeLinks ? " or a sibling file" : "")", sourceLocation: sourceLocation)
        }
        #expect(html.contains("@media (prefers-color-scheme: dark)") && html.contains("@media print"), sourceLocation: sourceLocation)
    }

    static func matches(_ pattern: String, in s: String) -> [[String]] {
        let re = try! NSRegularExpression(pattern: pattern)
        let ns = s as NSString
        return re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
        }
    }

    static func count(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

    /// A page whose every input string tries to break out of its context.
    static func hostilePage() -> String {
        let report = HTMLReport(heads: [.init(name: "stance", labels: ["rivalry", "none"]),
                                        .init(name: "tone\"<x>", labels: ["<b>bold</b>", "calm & 'quiet'"])],
                                modelVersion: "test <v1>")
        let outputs = [
            output(0, "He said <script>alert(1)</script> & left.", speaker: "Dr. \"Q\" <Host>", start: 0, [
                prediction("stance", "rivalry", [("rivalry", 0.9), ("none", 0.1)]),
                prediction("tone\"<x>", "<b>bold</b>", [("<b>bold</b>", 0.45), ("calm & 'quiet'", 0.55)]),
            ]),
            output(1, "Quotes \" and ' and &amp; stay text.</p><img src=x onerror=alert(2)>", speaker: "Chair", start: 3, [
                prediction("stance", "none", [("rivalry", 0.45), ("none", 0.55)]),
                prediction("tone\"<x>", "calm & 'quiet'", [("<b>bold</b>", 0.2), ("calm & 'quiet'", 0.8)]),
            ]),
        ]
        return report.page(doc: "<doc> & \"name\"", source: "in/<doc>.txt", outputs: outputs)
    }

    @Test func page_showsMarkupFromTheInputAsText() {
        let html = HTMLReportTests.hostilePage()
        #expect(html.contains("He said &lt;script&gt;alert(1)&lt;/script&gt; &amp; left."))
        #expect(html.contains("Quotes &quot; and &#39; and &amp;amp; stay text.&lt;/p&gt;&lt;img src=x onerror=alert(2)&gt;"))
        #expect(html.contains("<h1>&lt;doc&gt; &amp; &quot;name&quot;</h1>"))
        #expect(html.contains("<title>&lt;doc&gt; &amp; &quot;name&quot; · stance report</title>"))
        #expect(html.contains("Dr. &quot;Q&quot; &lt;Host&gt;"))
        #expect(html.contains("data-head=\"tone&quot;&lt;x&gt;\" data-label=\"&lt;b&gt;bold&lt;/b&gt;\""))
        #expect(html.contains("calm &amp; &#39;quiet&#39;"))
        #expect(html.contains("model test &lt;v1&gt;"))

        // Only the page's own tags, and one script: the module's constant, with nothing spliced in.
        for m in HTMLReportTests.matches(#"<(/?)([!a-zA-Z][a-zA-Z0-9]*)"#, in: html) {
            #expect(HTMLReportTests.knownTags.contains(m[2].lowercased()), "unexpected tag <\(m[1])\(m[2])")
        }
        #expect(HTMLReportTests.count("<script", in: html.lowercased()) == 1)
        let script = html.components(separatedBy: "<script>")[1].components(separatedBy: "</script>")[0]
        #expect(script == "\(HTMLReport.script)")
        #expect(!script.contains("alert") && !script.contains("Host"))
    }

    @Test func page_marksLowConfidenceLabels() {
        let html = HTMLReportTests.hostilePage()
        #expect(html.contains("probability is below 50%"))
        // Sentence 0: stance 0.9, tone 0.45 (low); sentence 1: stance 0.55, tone 0.8.
        let s0 = html.components(separatedBy: "id=\"s0\"")[1].components(separatedBy: "</li>")[0]
        #expect(HTMLReportTests.count("(low confidence)", in: s0) == 1)
        #expect(s0.contains("class=\"chip badge low\""))
        #expect(html.contains("<li class=\"sentence\" id=\"s0\""))
        let low = HTMLReport(heads: [.init(name: "stance", labels: ["a", "b"])], modelVersion: "")
            .page(doc: "x", outputs: [HTMLReportTests.output(0, "Unsure.", [HTMLReportTests.prediction("stance", "a", [("a", 0.49), ("b", 0.51)])])])
        #expect(low.contains("<li class=\"sentence low\" id=\"s0\""))
        #expect(low.contains("class=\"mark low\""))
        #expect(low.contains("<span class=\"q\" aria-hidden=\"true\">?</span><span class=\"sr\"> (low confidence)</span>"))
    }

    @Test func page_hasTimelineTotalsAndScores() {
        let html = HTMLReportTests.hostilePage()
        #expect(HTMLReportTests.count("class=\"mark", in: html) == 2)
        #expect(html.contains("<a href=\"#s0\" class=\"mark\"") && html.contains("href=\"#s1\" class=\"mark"))
        #expect(html.contains("<span>0:00</span><span>time →</span><span>0:05</span>"))
        #expect(html.contains("by speaker"))
        #expect(html.contains("title=\"stance: rivalry 90%, none 10%\ntone&quot;&lt;x&gt;: calm &amp; &#39;quiet&#39; 55%, &lt;b&gt;bold&lt;/b&gt; 45%\""))
        #expect(html.contains("<div class=\"scores\">stance: rivalry 90%"))
    }

    @Test func colourHeadIsStanceWhenPresentElseTheFirst() {
        let a = HTMLReport(heads: [.init(name: "claim", labels: []), .init(name: "stance", labels: [])], modelVersion: "")
        #expect(a.colourHead == 1 && a.displayOrder == [1, 0])
        let b = HTMLReport(heads: [.init(name: "topic", labels: []), .init(name: "tone", labels: [])], modelVersion: "")
        #expect(b.colourHead == 0 && b.displayOrder == [0, 1])
        #expect(HTMLReport(heads: [], modelVersion: "").colourHead == nil)
        let page = b.page(doc: "x", outputs: [HTMLReportTests.output(0, "One.", [
            HTMLReportTests.prediction("topic", "space", [("space", 1)]), HTMLReportTests.prediction("tone", "calm", [("calm", 1)]),
        ])])
        #expect(page.contains("Sentences are coloured by topic"))
        #expect(page.contains("<span class=\"h\">tone</span>calm"))
    }

    @Test func paletteIsOkabeItoAndDistinct() {
        let labels = ["a", "b", "c", "d", "e", "f", "g", "none"]
        let colours = Palette.colours(for: labels)
        #expect(colours["none"] == Palette.neutral)
        #expect(Set(labels.dropLast().map { colours[$0]! }).count == 7)
        #expect(labels.dropLast().allSatisfy { Palette.order.contains(colours[$0]!) })
        let stance = Palette.colours(for: ["cooperation", "militarisation", "none", "prestige", "rivalry"])
        #expect(stance["militarisation"] == Palette.vermillion && stance["cooperation"] == Palette.bluishGreen)
    }

    @Test func pagesMakeNoNetworkRequests() throws {
        let model = try DefaultModelLoader.load(bytes: stance_default_model_bytes(), count: stance_default_model_size())
        let classifier = Classifier(model: model)
        let data = try Data(contentsOf: Repo.root.appendingPathComponent("Corpus/samples/sample-transcript.txt"))
        let outputs = classifier.label(try classifier.sentences(of: data, format: .text, source: "sample"), doc: "sample")
        let report = HTMLReport(model: model, modelVersion: "v")
        let page = report.page(doc: "sample", source: "sample-transcript.txt", outputs: outputs)
        HTMLReportTests.expectOffline(page)
        #expect(page == report.page(doc: "sample", source: "sample-transcript.txt", outputs: outputs))
        HTMLReportTests.expectOffline(HTMLReportTests.hostilePage().replacingOccurrences(of: "src=x", with: ""))
        let index = report.indexPage([report.indexEntry(doc: "sample", file: "sample.html", outputs: outputs)])
        HTMLReportTests.expectOffline(index, relativeLinks: true)
    }

    @Test func indexPage_linksEveryPageWithItsMix() {
        let report = HTMLReport(heads: [.init(name: "stance", labels: ["rivalry", "cooperation", "none"])], modelVersion: "v")
        func outs(_ labels: [String]) -> [LabeledOutput] {
            labels.enumerated().map { HTMLReportTests.output($0.offset, "S.", [HTMLReportTests.prediction("stance", $0.element, [($0.element, 1)])]) }
        }
        let entries = [
            report.indexEntry(doc: "first", file: "first.html", source: "in/first.txt", outputs: outs(["rivalry", "rivalry", "none"])),
            report.indexEntry(doc: "a b#c:d", file: "a b#c:d.html", outputs: outs(["cooperation"])),
        ]
        let html = report.indexPage(entries)
        HTMLReportTests.expectOffline(html, relativeLinks: true)
        #expect(html.contains("<a href=\"first.html\">first</a>"))
        #expect(html.contains("<a href=\"a%20b%23c%3Ad.html\">a b#c:d</a>"))
        #expect(html.contains("<td class=\"n\">3</td>") && html.contains("<td class=\"n\">1</td>") && html.contains("<td class=\"n\">4</td>"))
        #expect(html.contains("rivalry 67% · none 33%"))
        #expect(html.contains("rivalry 50% · cooperation 25% · none 25%"))
        #expect(HTMLReportTests.count("<svg class=\"stack\"", in: html) == 3)
        #expect(!html.lowercased().contains("<script"))
    }

    @Test func evalPage_hasACellForEveryConfusionEntry() {
        var stance = HeadMetrics(head: "stance", labels: ["a", "b", "c"],
                                 gold: ["a", "a", "a", "b", "b", "c", "c"], predicted: ["a", "b", "b", "b", "c", "c", "a"])
        stance.addScores(predictions: ["a", "b", "b", "b", "c", "c", "a"].map { HTMLReportTests.prediction("stance", $0, [($0, 0.7)]) },
                         gold: ["a", "a", "a", "b", "b", "c", "c"], docs: Array(repeating: "d", count: 7))
        let claim = HeadMetrics(head: "claim <&>", labels: ["yes", "no"], gold: ["yes", "no", "no"], predicted: ["yes", "no", "yes"])
        let html = EvalReport.page(Evaluator.Report(heads: [stance, claim]), sentences: 7, sources: ["gold/<x>.jsonl"], modelVersion: "v")
        HTMLReportTests.expectOffline(html)
        #expect(HTMLReportTests.count("<td class=\"cm", in: html) == 9 + 4)
        for g in ["a", "b", "c"] {
            for p in ["a", "b", "c"] { #expect(html.contains("data-gold=\"\(g)\" data-predicted=\"\(p)\"")) }
        }
        #expect(HTMLReportTests.matches(#"data-gold="a" data-predicted="b"[^>]*>2<"#, in: html).count == 1)
        #expect(HTMLReportTests.matches(#"<td class="cm diag" data-gold="c" data-predicted="c"[^>]*>1<"#, in: html).count == 1)
        #expect(html.contains("<h2 id=\"head-1\">claim &lt;&amp;&gt;</h2>"))
        #expect(html.contains("gold/&lt;x&gt;.jsonl"))
        #expect(html.contains("<b>\(HTML.fixed(stance.accuracy))</b><span>accuracy</span>"))
        #expect(html.contains("<span>calibration error (ECE, 10 bins)</span>"))
        #expect(HTMLReportTests.count("<svg class=\"prf\"", in: html) == 2)
        #expect(HTMLReportTests.count("<g class=\"label-row\">", in: html) == 5)
        for m in HTMLReportTests.matches(#"<(/?)([!a-zA-Z][a-zA-Z0-9]*)"#, in: html) {
            #expect(HTMLReportTests.knownTags.contains(m[2].lowercased()), "unexpected tag <\(m[1])\(m[2])")
        }
    }

    @Test func escapeAndNumbers() {
        #expect(HTML.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        #expect(HTML.escape("plain é") == "plain é")
        #expect(HTML.fixed(0.70149) == "0.701" && HTML.fixed(1) == "1.000" && HTML.fixed(0.05, 1) == "0.1")
        #expect(HTML.coord(55.5555) == "55.56" && HTML.coord(100) == "100" && HTML.coord(0.5) == "0.5")
        #expect(HTML.percent(0.125) == "13%")
        #expect(HTML.relativeURL("ü x.html") == "%C3%BC%20x.html")
    }

    // MARK: Command line

    @Test func classify_severalInputsNeedAnOutputFolder() throws {
        let dir = Repo.temporaryDirectory()
        for n in ["a", "b"] { try "HOST: The missile hit a satellite.\n".write(to: dir.appendingPathComponent("\(n).txt"), atomically: true, encoding: .utf8) }
        let two = try e2e.run("stance-classify", ["--format", "html", dir.appendingPathComponent("a.txt").path, dir.appendingPathComponent("b.txt").path])
        #expect(two.status == 64)
        #expect(two.stderr.contains("--format html writes one page per transcript") && two.stderr.contains("--output-dir"))
        #expect(two.stdout.isEmpty)
        let folder = try e2e.run("stance-classify", ["--format", "html", dir.path])
        #expect(folder.status == 64 && folder.stderr.contains("--output-dir"))
        #expect(folder.stdout.isEmpty)

        let file = dir.appendingPathComponent("a-report.html")
        let one = try e2e.run("stance-classify", ["--format", "html", "--output", file.path, dir.appendingPathComponent("a.txt").path])
        #expect(one.status == 0, "\(one.stderr)")
        let page = try String(contentsOf: file, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<h1>a</h1>"))
        #expect(HTMLReportTests.count("<li class=\"sentence", in: page) == 1)
        let stdout = try e2e.run("stance-classify", ["--format", "html", dir.appendingPathComponent("a.txt").path])
        #expect(stdout.stdout == page)
    }

    @Test func classify_outputFolderGetsPagesAndAnIndex() throws {
        let dir = Repo.temporaryDirectory()
        let inputs = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        try "HOST: The missile hit a satellite.\nGUEST: The agencies signed a deal.\n".write(to: inputs.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
        try "Russia <script>tested</script> a weapon & left.\n".write(to: inputs.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try e2e.run("stance-classify", ["--format", "html", "--output-dir", out.path, inputs.path])
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["b.html", "index-2.html", "index.html"])
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        HTMLReportTests.expectOffline(index, relativeLinks: true)
        #expect(index.contains("<a href=\"b.html\">b</a>") && index.contains("<a href=\"index-2.html\">index</a>"))
        #expect(index.contains("<b>2</b> transcripts · <b>3</b> sentences"))
        let b = try String(contentsOf: out.appendingPathComponent("b.html"), encoding: .utf8)
        HTMLReportTests.expectOffline(b)
        #expect(b.contains("Russia &lt;script&gt;tested&lt;/script&gt; a weapon &amp; left."))

        let again = try e2e.run("stance-classify", ["--format", "html", "--output-dir", out.path, inputs.path])
        #expect(again.status == 0)
        #expect(try String(contentsOf: out.appendingPathComponent("b.html"), encoding: .utf8) == b)
        #expect(try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8) == index)
    }

    @Test func eval_htmlFormat() throws {
        let gold = try #require(Repo.corpusFiles(split: "test").first)
        let r = try e2e.run("stance-eval", ["--format", "html", gold.path])
        #expect(r.status == 0, "\(r.stderr)")
        HTMLReportTests.expectOffline(r.stdout)
        let json = try e2e.run("stance-eval", ["--format", "json", gold.path])
        let heads = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["heads"] as? [String: [String: Any]])
        let cells = heads.values.map { (($0["confusion"] as? [String: Any])?.count ?? 0) }.map { $0 * $0 }.reduce(0, +)
        #expect(cells > 0 && HTMLReportTests.count("<td class=\"cm", in: r.stdout) == cells)
        let bad = try e2e.run("stance-eval", ["--format", "pdf", gold.path])
        #expect(bad.status == 64 && bad.stderr.contains("text, json or html"))
    }
}
