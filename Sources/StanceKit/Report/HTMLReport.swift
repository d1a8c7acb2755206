/// A labelled transcript as one self-contained HTML page (`stance-classify
/// --format html`), and an index page listing several.
///
/// The page shows, top to bottom: a timeline strip (one mark per sentence,
/// placed by time when the transcript is timed, coloured by the colour head
/// and linking to the sentence); the labels of every head as filter chips
/// with counts; each head's share overall and per speaker; the sentences,
/// coloured by the colour head, with the other heads as badges, speaker and
/// time when known, every score in a hover title (shown on focus and in
/// print), and labels below `lowConfidence` marked with a dashed outline, a
/// "?" and the words "low confidence" for screen readers.
///
/// The colour head is the head named "stance" when there is one, else the
/// first. With scripts off everything is shown; the small inline script adds
/// the filters (also read from the URL: `#filter=stance:militarisation`,
/// several joined by `&`, head and label URI-encoded). Input reaches the
/// script only through escaped `data-` attributes.
public struct HTMLReport: Sendable {
    public struct Head: Sendable, Equatable {
        public var name: String
        public var labels: [String]
        public init(name: String, labels: [String]) {
            self.name = name
            self.labels = labels
        }
    }

    public var heads: [Head]
    /// Printed in the page's header, e.g. "stance 0.1.0 2025-01-01".
    public var modelVersion: String
    /// A label whose probability is below this is marked low-confidence.
    public var lowConfidence: Float = 0.5

    public init(heads: [Head], modelVersion: String) {
        self.heads = heads
        self.modelVersion = modelVersion
    }

    public init(model: StanceModel, modelVersion: String) {
        self.init(heads: model.heads.map { Head(name: $0.name, labels: $0.labels) }, modelVersion: modelVersion)
    }

    /// The head whose label colours a sentence: "stance" when present, else the first.
    public var colourHead: Int? { heads.firstIndex { $0.name == "stance" } ?? (heads.isEmpty ? nil : 0) }

    /// Heads in display order: the colour head first, then the others in model order.
    var displayOrder: [Int] {
        guard let c = colourHead else { return [] }
        return [c] + heads.indices.filter { $0 != c }
    }

    // MARK: One transcript

    /// The page of one transcript. `source` (the input's path) is shown under the title.
    public func page(doc: String, source: String? = nil, outputs: [LabeledOutput]) -> String {
        let view = View(report: self, outputs: outputs)
        var body = header(doc: doc, source: source, view: view)
        if outputs.isEmpty {
            body += "<p>No sentences were found in this transcript.</p>\n"
        } else {
            body += timeline(view)
            body += filters(view)
            body += totals(view)
            body += sentences(view)
        }
        body += footer()
        return HTML.page(title: "\(doc) · stance report", body: body, script: HTMLReport.script)
    }

    /// What a page needs to know about its heads and sentences, worked out once.
    struct View {
        let outputs: [LabeledOutput]
        /// Per head (model order): its labels (the model's, then any others seen) and their colours.
        let labels: [[String]]
        let colours: [[String: String]]
        /// predictions[i][h]: sentence i's prediction on head h, when it has one.
        let predictions: [[HeadPrediction?]]
        let order: [Int]
        let colourHead: Int?
        let timed: Bool
        let duration: Double
        let speakers: [String]

        init(report: HTMLReport, outputs: [LabeledOutput]) {
            self.outputs = outputs
            predictions = outputs.map { o in report.heads.map { h in o.predictions.first { $0.head == h.name } } }
            var labels = report.heads.map(\.labels)
            for row in predictions {
                for (h, p) in row.enumerated() {
                    guard let p else { continue }
                    for l in [p.label] + (p.all ?? []) where !labels[h].contains(l) { labels[h].append(l) }
                }
            }
            self.labels = labels
            colours = labels.map { Palette.colours(for: $0) }
            order = report.displayOrder
            colourHead = report.colourHead
            timed = !outputs.isEmpty && outputs.allSatisfy { $0.sentence.start != nil }
            duration = timed ? outputs.map { max($0.sentence.end ?? 0, $0.sentence.start ?? 0) }.max() ?? 0 : 0
            var seen: [String: Int] = [:]
            var firstSeen: [String] = []
            for o in outputs {
                guard let s = o.sentence.speaker else { continue }
                if seen[s] == nil { firstSeen.append(s) }
                seen[s, default: 0] += 1
            }
            speakers = firstSeen
        }

        func colour(_ h: Int, _ label: String) -> String { colours[h][label] ?? Palette.neutral }

        /// How many sentences carry each label of head `h`, in `rows` (all when nil).
        func shares(_ h: Int, rows: [Int]? = nil) -> [HTML.Share] {
            var counts = [String: Int]()
            for i in rows ?? Array(outputs.indices) { if let p = predictions[i][h] { counts[p.label, default: 0] += 1 } }
            return labels[h].map { HTML.Share(label: $0, colour: colour(h, $0), count: counts[$0] ?? 0) }
        }
    }

    func header(doc: String, source: String?, view: View) -> String {
        var facts = ["<b>\(view.outputs.count)</b> sentence\(view.outputs.count == 1 ? "" : "s")"]
        if !view.speakers.isEmpty { facts.append("<b>\(view.speakers.count)</b> speaker\(view.speakers.count == 1 ? "" : "s")") }
        if view.timed { facts.append("<b>\(OutputWriter.clock(view.duration))</b> long") }
        if let source { facts.append("from <b>\(HTML.escape(source))</b>") }
        facts.append("model \(HTML.escape(modelVersion))")
        return "<header>\n<h1>\(HTML.escape(doc))</h1>\n<p class=\"meta\">\(facts.joined(separator: " · "))</p>\n</header>\n"
    }

    func footer() -> String {
        "<footer>Made by stance-classify. One self-contained file: it makes no network requests. Colours from the Okabe–Ito palette; every colour is also named in text.</footer>\n"
    }

    // MARK: Timeline

    func timeline(_ v: View) -> String {
        let width = 1000.0, height = 40.0
        let n = v.outputs.count
        let headName = v.colourHead.map { heads[$0].name } ?? "label"
        var s = "<section class=\"timeline\" aria-labelledby=\"timeline-title\">\n"
        s += "<h2 id=\"timeline-title\" class=\"sr\">Timeline</h2>\n"
        s += "<svg id=\"timeline\" viewBox=\"0 0 \(HTML.coord(width)) \(HTML.coord(height))\" preserveAspectRatio=\"none\" role=\"group\" aria-label=\"One mark per sentence, coloured by \(HTML.escape(headName)); a link to the sentence\">\n"
        for (i, o) in v.outputs.enumerated() {
            var x: Double, w: Double
            if v.timed, v.duration > 0 {
                let start = o.sentence.start ?? 0, end = max(o.sentence.end ?? start, start)
                x = start / v.duration * width
                w = max((end - start) / v.duration * width, 1.5)
                x = min(x, width - w)
            } else {
                x = Double(i) * width / Double(n)
                w = width / Double(n)
            }
            if w > 4 { w -= min(2, w * 0.12) }
            var label = "no label"
            var colour = Palette.neutral
            var low = false
            if let h = v.colourHead, let p = v.predictions[i][h] {
                label = p.label
                colour = v.colour(h, p.label)
                low = probability(p) < lowConfidence
            }
            var tip = "#\(o.index)"
            if let t = o.sentence.start { tip += " \(OutputWriter.clock(t))" }
            if let sp = o.sentence.speaker { tip += " \(sp)" }
            tip += " · \(label)\(low ? " (low confidence)" : "") · \(snippet(o.sentence.text))"
            s += "<a href=\"#s\(o.index)\" class=\"mark\(low ? " low" : "")\" data-s=\"\(o.index)\"><title>\(HTML.escape(tip))</title>"
            s += "<rect x=\"\(HTML.coord(x))\" y=\"0\" width=\"\(HTML.coord(w))\" height=\"\(HTML.coord(height))\" fill=\"\(colour)\"/></a>\n"
        }
        s += "</svg>\n"
        if v.timed {
            s += "<div class=\"axis\"><span>0:00</span><span>time →</span><span>\(OutputWriter.clock(v.duration))</span></div>\n"
        } else {
            s += "<div class=\"axis\"><span>first sentence</span><span>sentence order →</span><span>last sentence</span></div>\n"
        }
        return s + "</section>\n"
    }

    func snippet(_ text: String) -> String { text.count <= 90 ? text : String(text.prefix(88)) + "…" }

    func probability(_ p: HeadPrediction) -> Float { p.scores.first { $0.label == p.label }?.probability ?? 0 }

    // MARK: Filters and key

    func filters(_ v: View) -> String {
        var s = "<section class=\"panel filters\" aria-labelledby=\"labels-title\">\n<h2 id=\"labels-title\" class=\"sr\">Labels</h2>\n"
        for h in v.order {
            s += "<div class=\"row\"><span class=\"head\">\(HTML.escape(heads[h].name))</span>"
            for sh in v.shares(h) {
                s += "<button type=\"button\" class=\"chip\(h == v.colourHead ? "" : " badge")\" data-head=\"\(HTML.escape(heads[h].name))\" data-label=\"\(HTML.escape(sh.label))\" style=\"--c:\(sh.colour)\">"
                s += "<span class=\"sw\" aria-hidden=\"true\"></span>\(HTML.escape(sh.label)) <span class=\"count\">\(sh.count)</span></button>"
            }
            s += "</div>\n"
        }
        let colourName = v.colourHead.map { HTML.escape(heads[$0].name) } ?? "label"
        let pct = HTML.percent(Double(lowConfidence))
        s += "<p class=\"note\">Sentences are coloured by \(colourName) (bar on the left and tint). "
        s += "A dashed outline and “?” mark a low-confidence label: its probability is below \(pct); such sentences are paler in the timeline. "
        s += "Hover over a sentence, or focus it with Tab, to see every score.</p>\n"
        s += "<p class=\"note hint\" id=\"filter-hint\" hidden>Click a label, here or on a sentence, to show only the sentences that carry it (labels of different heads combine); click it again or “Show all” to undo.</p>\n"
        s += "<p class=\"status\"><span id=\"status\" aria-live=\"polite\"></span><button type=\"button\" class=\"reset\" id=\"show-all\" hidden>Show all</button></p>\n"
        return s + "</section>\n"
    }

    // MARK: Totals

    /// Speakers shown one by one in the totals (the most talkative).
    static let maxSpeakerRows = 12

    func totals(_ v: View) -> String {
        var s = "<section aria-labelledby=\"totals-title\">\n<h2 id=\"totals-title\">Totals</h2>\n<div class=\"totals\">\n"
        let bySpeaker = Dictionary(grouping: v.outputs.indices) { v.outputs[$0].sentence.speaker ?? "" }
        var speakers = v.speakers.sorted { (bySpeaker[$0]?.count ?? 0) > (bySpeaker[$1]?.count ?? 0) }
        let hidden = max(0, speakers.count - HTMLReport.maxSpeakerRows)
        speakers = Array(speakers.prefix(HTMLReport.maxSpeakerRows))
        let unattributed = bySpeaker[""]?.count ?? 0
        for h in v.order {
            let all = v.shares(h)
            let n = all.reduce(0) { $0 + $1.count }
            s += "<div class=\"panel\">\n<h3>\(HTML.escape(heads[h].name))</h3>\n<table class=\"bars\">\n"
            s += "<tr class=\"all\"><th colspan=\"3\" scope=\"colgroup\">all sentences (\(n))</th></tr>\n"
            for sh in all {
                let share = n == 0 ? 0 : Double(sh.count) / Double(n)
                s += "<tr><th scope=\"row\"><span class=\"sw\" style=\"--c:\(sh.colour)\" aria-hidden=\"true\"></span> \(HTML.escape(sh.label))</th>"
                s += "<td class=\"barcell\"><svg class=\"one\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
                s += "<rect class=\"track\" width=\"100\" height=\"10\" fill=\"currentColor\" fill-opacity=\".08\"/>"
                s += "<rect width=\"\(HTML.coord(100 * share))\" height=\"10\" fill=\"\(sh.colour)\"/></svg></td>"
                s += "<td class=\"n\">\(HTML.percent(share))</td></tr>\n"
            }
            if v.speakers.count >= 2 {
                s += "<tr class=\"sep\"><th colspan=\"3\" scope=\"colgroup\">by speaker</th></tr>\n"
                for sp in speakers {
                    let rows = bySpeaker[sp] ?? []
                    s += "<tr><th scope=\"row\" title=\"\(HTML.escape(sp))\">\(HTML.escape(sp))</th>"
                    s += "<td class=\"barcell\">\(HTML.stackedBar(v.shares(h, rows: rows)))</td><td class=\"n\">\(rows.count)</td></tr>\n"
                }
                if unattributed > 0 {
                    s += "<tr><th scope=\"row\"><i>no speaker</i></th>"
                    s += "<td class=\"barcell\">\(HTML.stackedBar(v.shares(h, rows: bySpeaker[""] ?? [])))</td><td class=\"n\">\(unattributed)</td></tr>\n"
                }
                if hidden > 0 { s += "<tr><td colspan=\"3\" class=\"mix\">and \(hidden) more speaker\(hidden == 1 ? "" : "s")</td></tr>\n" }
            }
            s += "</table>\n</div>\n"
        }
        return s + "</div>\n</section>\n"
    }

    // MARK: Sentences

    func sentences(_ v: View) -> String {
        var s = "<section aria-labelledby=\"transcript-title\">\n<h2 id=\"transcript-title\">Transcript</h2>\n<ol class=\"sentences\(v.timed || !v.speakers.isEmpty ? "" : " compact")\" id=\"sentences\">\n"
        var previousSpeaker: String? = nil
        for (i, o) in v.outputs.enumerated() {
            let row = v.predictions[i]
            var colour = Palette.neutral
            var low = false
            if let h = v.colourHead, let p = row[h] {
                colour = v.colour(h, p.label)
                low = probability(p) < lowConfidence
            }
            let scores = v.order.compactMap { h in row[h].map { scoreLine($0) } }.joined(separator: "\n")
            s += "<li class=\"sentence\(low ? " low" : "")\" id=\"s\(o.index)\" tabindex=\"0\" style=\"--c:\(colour)\" title=\"\(HTML.escape(scores))\">"
            s += "<div class=\"where\"><a href=\"#s\(o.index)\">#\(o.index)</a>"
            if let t = o.sentence.start { s += "<span class=\"time\">\(OutputWriter.clock(t))</span>" }
            if let sp = o.sentence.speaker {
                s += "<span class=\"speaker\(sp == previousSpeaker ? " same" : "")\">\(HTML.escape(sp))</span>"
            }
            previousSpeaker = o.sentence.speaker
            s += "</div><div class=\"body\"><p class=\"text\">\(HTML.escape(o.sentence.text))</p><div class=\"labels\">"
            for h in v.order {
                guard let p = row[h] else { continue }
                s += chip(head: heads[h].name, label: p.label, colour: v.colour(h, p.label), probability: probability(p), main: h == v.colourHead)
                for extra in (p.all ?? []) where extra != p.label {
                    let q = p.scores.first { $0.label == extra }?.probability ?? 0
                    s += chip(head: heads[h].name, label: extra, colour: v.colour(h, extra), probability: q, main: false)
                }
            }
            s += "</div><div class=\"scores\">\(HTML.escape(scores))</div></div></li>\n"
        }
        return s + "</ol>\n</section>\n"
    }

    /// A label as a filter chip: swatch, head (for badges), label, probability,
    /// and the low-confidence marks. Only the colour head's chip has a
    /// coloured outline, so that the sentence's colour stays its stance.
    func chip(head: String, label: String, colour: String, probability: Float, main: Bool) -> String {
        let low = probability < lowConfidence
        var s = "<button type=\"button\" class=\"chip\(main ? " main" : " badge")\(low ? " low" : "")\" data-head=\"\(HTML.escape(head))\" data-label=\"\(HTML.escape(label))\" style=\"--c:\(colour)\">"
        s += "<span class=\"sw\" aria-hidden=\"true\"></span>"
        s += main ? "<span class=\"sr\">\(HTML.escape(head)): </span>" : "<span class=\"h\">\(HTML.escape(head))</span>"
        s += "\(HTML.escape(label)) <span class=\"pct\">\(HTML.percent(Double(probability)))</span>"
        if low { s += "<span class=\"q\" aria-hidden=\"true\">?</span><span class=\"sr\"> (low confidence)</span>" }
        return s + "</button>"
    }

    /// "stance: militarisation 72%, rivalry 12%, ..." most probable first.
    func scoreLine(_ p: HeadPrediction) -> String {
        let sorted = p.scores.enumerated().sorted { $0.element.probability != $1.element.probability ? $0.element.probability > $1.element.probability : $0.offset < $1.offset }
        return "\(p.head): " + sorted.map { "\($0.element.label) \(HTML.percent(Double($0.element.probability)))" }.joined(separator: ", ")
    }

    // MARK: Index

    /// One transcript's line on the index page.
    public struct IndexEntry: Sendable, Equatable {
        public var doc: String
        /// The page's file name, relative to the index page.
        public var file: String
        public var source: String?
        public var sentences: Int
        /// Sentences per label of the colour head.
        public var counts: [String: Int]
    }

    public func indexEntry(doc: String, file: String, source: String? = nil, outputs: [LabeledOutput]) -> IndexEntry {
        var counts: [String: Int] = [:]
        if let h = colourHead {
            for o in outputs { if let p = o.predictions.first(where: { $0.head == heads[h].name }) { counts[p.label, default: 0] += 1 } }
        }
        return IndexEntry(doc: doc, file: file, source: source, sentences: outputs.count, counts: counts)
    }

    /// A page listing `entries`: a link to each page, its sentence count and its mix of the colour head's labels.
    public func indexPage(_ entries: [IndexEntry], title: String = "Labelled transcripts") -> String {
        var labels = colourHead.map { heads[$0].labels } ?? []
        for e in entries { for l in e.counts.keys.sorted() where !labels.contains(l) { labels.append(l) } }
        let colours = Palette.colours(for: labels)
        let headName = colourHead.map { heads[$0].name } ?? "label"
        func shares(_ counts: [String: Int]) -> [HTML.Share] {
            labels.map { HTML.Share(label: $0, colour: colours[$0] ?? Palette.neutral, count: counts[$0] ?? 0) }
        }
        let total = entries.reduce(0) { $0 + $1.sentences }
        var body = "<header>\n<h1>\(HTML.escape(title))</h1>\n<p class=\"meta\"><b>\(entries.count)</b> transcript\(entries.count == 1 ? "" : "s") · <b>\(total)</b> sentences · model \(HTML.escape(modelVersion))</p>\n</header>\n"
        body += "<div class=\"panel\"><h3>\(HTML.escape(headName)) colours</h3>\(HTML.key(shares([:])))</div>\n"
        if entries.isEmpty {
            body += "<p>No transcript was written.</p>\n"
        } else {
            body += "<table class=\"index\">\n<thead><tr><th scope=\"col\">transcript</th><th scope=\"col\" class=\"n\">sentences</th><th scope=\"col\">\(HTML.escape(headName)) mix</th></tr></thead>\n<tbody>\n"
            var all: [String: Int] = [:]
            for e in entries {
                for (l, c) in e.counts { all[l, default: 0] += c }
                let sh = shares(e.counts)
                body += "<tr><td><a href=\"\(HTML.escape(HTML.relativeURL(e.file)))\">\(HTML.escape(e.doc))</a>"
                if let src = e.source { body += "<div class=\"mix\">\(HTML.escape(src))</div>" }
                body += "</td><td class=\"n\">\(e.sentences)</td><td>\(HTML.stackedBar(sh))<div class=\"mix\">\(HTML.escape(HTML.describe(sh)))</div></td></tr>\n"
            }
            let sh = shares(all)
            body += "</tbody>\n<tfoot><tr><td>all transcripts</td><td class=\"n\">\(total)</td><td>\(HTML.stackedBar(sh))<div class=\"mix\">\(HTML.escape(HTML.describe(sh)))</div></td></tr></tfoot>\n</table>\n"
        }
        body += footer()
        return HTML.page(title: title, body: body)
    }

    // MARK: Script

    /// The filters. A constant: nothing from the input is ever spliced in;
    /// it reads labels from the chips' escaped data- attributes.
    static let script: StaticString = """
    (function () {
      'use strict';
      var root = document.documentElement;
      var list = document.getElementById('sentences');
      var items = list ? Array.prototype.slice.call(list.querySelectorAll('li.sentence')) : [];
      var marks = Array.prototype.slice.call(document.querySelectorAll('#timeline .mark'));
      var chips = Array.prototype.slice.call(document.querySelectorAll('button.chip'));
      var status = document.getElementById('status');
      var reset = document.getElementById('show-all');
      var hint = document.getElementById('filter-hint');
      var filters = [];
      function carries(li, f) {
        var own = li.querySelectorAll('button.chip');
        for (var i = 0; i < own.length; i++) {
          if (own[i].getAttribute('data-head') === f[0] && own[i].getAttribute('data-label') === f[1]) { return true; }
        }
        return false;
      }
      function active(head, label) {
        return filters.some(function (f) { return f[0] === head && f[1] === label; });
      }
      function set(head, label) {
        filters = filters.filter(function (f) { return f[0] !== head; });
        filters.push([head, label]);
      }
      function apply() {
        var shown = 0;
        items.forEach(function (li) {
          var ok = filters.every(function (f) { return carries(li, f); });
          li.hidden = !ok;
          if (ok) { shown += 1; }
        });
        marks.forEach(function (m) {
          var li = document.getElementById('s' + m.getAttribute('data-s'));
          m.classList.toggle('dim', !!(li && li.hidden));
        });
        chips.forEach(function (c) {
          c.setAttribute('aria-pressed', active(c.getAttribute('data-head'), c.getAttribute('data-label')) ? 'true' : 'false');
        });
        if (list) { list.setAttribute('data-shown', String(shown)); }
        if (status) {
          status.textContent = filters.length === 0 ? '' : 'Showing ' + shown + ' of ' + items.length + ' sentences: ' +
            filters.map(function (f) { return f[0] + ' = ' + f[1]; }).join(' and ');
        }
        if (reset) { reset.hidden = filters.length === 0; }
        root.setAttribute('data-filter', filters.length === 0 ? 'off' : 'on');
      }
      function writeHash() {
        var h = filters.map(function (f) { return encodeURIComponent(f[0]) + ':' + encodeURIComponent(f[1]); }).join('&');
        try { history.replaceState(null, '', h ? '#filter=' + h : location.pathname + location.search); } catch (e) { }
      }
      function readHash() {
        var h = location.hash;
        if (h.indexOf('#filter=') !== 0) { return false; }
        filters = [];
        h.slice(8).split('&').forEach(function (part) {
          var k = part.indexOf(':');
          if (k <= 0) { return; }
          try { set(decodeURIComponent(part.slice(0, k)), decodeURIComponent(part.slice(k + 1))); } catch (e) { }
        });
        apply();
        return true;
      }
      function toggle(head, label) {
        if (active(head, label)) {
          filters = filters.filter(function (f) { return f[0] !== head; });
        } else {
          set(head, label);
        }
        apply();
        writeHash();
      }
      document.addEventListener('click', function (e) {
        var t = e.target;
        if (!t || !t.closest) { return; }
        var chip = t.closest('button.chip');
        if (chip) { toggle(chip.getAttribute('data-head'), chip.getAttribute('data-label')); return; }
        var link = t.closest('a[href^="#s"]');
        if (link) {
          var target = document.getElementById(link.getAttribute('href').slice(1));
          if (target && target.hidden) { filters = []; apply(); }
        }
      });
      if (reset) { reset.addEventListener('click', function () { filters = []; apply(); writeHash(); }); }
      window.addEventListener('hashchange', readHash);
      if (hint) { hint.hidden = false; }
      if (!readHash()) { apply(); }
      root.setAttribute('data-js', 'ready');
    }());
    """
}
