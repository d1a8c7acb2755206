/// What the HTML reports share: escaping, numbers, the colour palette, the
/// page shell with its Content-Security-Policy and style sheet, and small
/// inline-SVG charts.
///
/// Every page is one self-contained file: inline CSS, SVG and script, no
/// URL but `#fragment` links (and, on an index page, relative links to the
/// sibling pages), system fonts only. Text from the input is always escaped.
enum HTML {
    /// Forbids every network request: the page works from disk and leaks nothing.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

    /// Escapes `& < > " '` so that `s` is text in an element or a quoted attribute.
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A file name as a relative URL: everything but unreserved bytes
    /// percent-encoded (so `#`, `?`, `:` and spaces stay part of the name,
    /// and no name reads as a scheme).
    static func relativeURL(_ fileName: String) -> String {
        var out = ""
        for b in fileName.utf8 {
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 0xF)])
            }
        }
        return out
    }

    /// `x` as a whole percentage, e.g. "42%".
    static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    /// `x` with exactly `digits` decimals (no locale).
    static func fixed(_ x: Double, _ digits: Int = 3) -> String {
        guard x.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let v = Int64((abs(x) * scale).rounded())
        let whole = v / Int64(scale), frac = v % Int64(scale)
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        return (x < 0 && v != 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
    }

    /// A number for an SVG attribute: at most two decimals, no exponent.
    static func coord(_ x: Double) -> String {
        var s = fixed(x, 2)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// A complete page: doctype, CSP, title, the shared style sheet and, when
    /// given, one inline script (a constant of this module, never input).
    static func page(title: String, body: String, script: StaticString? = nil) -> String {
        var s = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(escape(title))</title>
        <style>\(styleSheet)</style>
        </head>
        <body>
        <main>

        """
        s += body
        s += "</main>\n"
        if let script { s += "<script>\(script)</script>\n" }
        s += "</body>\n</html>\n"
        return s
    }

    /// A label of one head: its name, its colour and how many sentences carry it.
    struct Share {
        var label: String
        var colour: String
        var count: Int
    }

    /// A horizontal stacked bar (inline SVG, `width` wide in CSS) of `shares`;
    /// the full breakdown is in its title and in text for screen readers.
    static func stackedBar(_ shares: [Share], className: String = "stack") -> String {
        let total = shares.reduce(0) { $0 + $1.count }
        let described = describe(shares)
        var s = "<svg class=\"\(className)\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(escape(described))\">"
        s += "<title>\(escape(described))</title>"
        if total == 0 {
            s += "<rect class=\"empty\" x=\"0\" y=\"0\" width=\"100\" height=\"10\"/>"
        } else {
            var x = 0.0
            for sh in shares where sh.count > 0 {
                let w = 100 * Double(sh.count) / Double(total)
                s += "<rect x=\"\(coord(x))\" y=\"0\" width=\"\(coord(w))\" height=\"10\" fill=\"\(sh.colour)\"/>"
                x += w
            }
        }
        return s + "</svg>"
    }

    /// "militarisation 40% · rivalry 20% · ..." for the labels present, most frequent first.
    static func describe(_ shares: [Share]) -> String {
        let total = shares.reduce(0) { $0 + $1.count }
        guard total > 0 else { return "no sentences" }
        return ordered(shares).map { "\($0.label) \(percent(Double($0.count) / Double(total)))" }.joined(separator: " · ")
    }

    /// The shares present, most frequent first (ties in label order).
    static func ordered(_ shares: [Share]) -> [Share] {
        shares.enumerated().filter { $0.element.count > 0 }
            .sorted { $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset }
            .map(\.element)
    }

    /// A colour key: a swatch and the label's text for each share.
    static func key(_ shares: [Share]) -> String {
        var s = "<ul class=\"key\">"
        for sh in shares {
            s += "<li><span class=\"sw\" style=\"--c:\(sh.colour)\" aria-hidden=\"true\"></span>\(escape(sh.label))</li>"
        }
        return s + "</ul>"
    }

    static let styleSheet = """
    :root{color-scheme:light dark;--bg:#fff;--fg:#1c1c1c;--muted:#595959;--line:#d0d0d0;--card:#f5f5f3;--tint:13%;--ring:#0072B2}
    @media (prefers-color-scheme: dark){:root{--bg:#16181b;--fg:#e9e7e4;--muted:#a9a9a9;--line:#3b3f45;--card:#1f2227;--tint:20%;--ring:#56B4E9}}
    *{box-sizing:border-box}
    [hidden]{display:none !important}
    body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans","Liberation Sans",Arial,sans-serif}
    main{max-width:74rem;margin:0 auto;padding:1.25rem 1.5rem 3rem}
    h1{font-size:1.45rem;line-height:1.25;margin:0 0 .2rem;overflow-wrap:anywhere}
    h2{font-size:1.05rem;margin:1.4rem 0 .5rem}
    h3{font-size:.95rem;margin:.2rem 0 .4rem}
    a{color:var(--ring)}
    .meta{color:var(--muted);font-size:.85rem;margin:0}
    .meta b{color:var(--fg);font-weight:600}
    .sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
    .num{font-variant-numeric:tabular-nums}
    svg text{fill:currentColor;font:inherit}
    .sw{display:inline-block;width:.75em;height:.75em;border-radius:50%;background:var(--c);flex:none;border:1px solid rgba(0,0,0,.25)}
    .key{list-style:none;margin:.2rem 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.85rem}
    .key li{display:inline-flex;align-items:center;gap:.35em}
    .timeline{margin:1rem 0 .25rem}
    .timeline svg{display:block;width:100%;height:2.6rem;border:1px solid var(--line);border-radius:4px;background:var(--card)}
    .timeline .mark.low rect{fill-opacity:.45}
    .timeline .mark.dim rect{fill-opacity:.12}
    .timeline .mark:focus rect,.timeline .mark:hover rect{stroke:var(--fg);stroke-width:2;vector-effect:non-scaling-stroke}
    .axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.78rem}
    .panel{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.6rem .9rem;margin:.75rem 0}
    .filters .row{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .4rem;margin:.25rem 0}
    .filters .head{font-weight:600;min-width:6.5rem;font-size:.85rem}
    .note{font-size:.82rem;color:var(--muted);margin:.35rem 0 0}
    .status{font-size:.85rem;margin:.35rem 0 0;font-weight:600}
    .chip{display:inline-flex;align-items:center;gap:.35em;font:inherit;font-size:.8rem;line-height:1.25;padding:.1rem .55rem;border:2px solid var(--c);border-radius:999px;background:var(--bg);color:var(--fg);cursor:pointer;white-space:nowrap}
    .chip .h{color:var(--muted);font-size:.92em}
    .chip .pct,.chip .count{color:var(--muted);font-variant-numeric:tabular-nums}
    .chip.low{border-style:dashed}
    .chip.badge{border-color:var(--line)}
    .chip.badge.low{border-color:var(--muted)}
    .chip .q{font-weight:700;color:var(--fg)}
    .chip[aria-pressed="true"]{outline:3px solid var(--fg);outline-offset:1px}
    .chip:focus-visible,.sentence:focus-visible,button:focus-visible{outline:3px solid var(--ring);outline-offset:2px}
    .reset{font:inherit;font-size:.8rem;padding:.1rem .6rem;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg);cursor:pointer;margin-left:.5rem}
    .totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(21rem,1fr));gap:.75rem}
    .totals .panel{margin:0}
    .bars{width:100%;border-collapse:collapse;font-size:.8rem}
    .bars th{text-align:left;font-weight:normal;padding:.05rem .5rem .05rem 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:9rem}
    .bars td{padding:.08rem 0}
    .bars td.n{text-align:right;padding-left:.5rem;color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap;width:3.5rem}
    .bars .barcell{width:55%}
    .bars .one{display:block;height:.8rem;width:100%}
    .bars tr.all th{font-weight:600}
    .bars tr.sep td,.bars tr.sep th{padding-top:.45rem}
    .stack{display:block;width:100%;height:.8rem;border-radius:2px}
    .stack .empty{fill:var(--line)}
    .sentences{list-style:none;margin:0;padding:0}
    .sentence{display:grid;grid-template-columns:8.5rem minmax(0,1fr);gap:.2rem .9rem;padding:.45rem .8rem;margin:.3rem 0;border-left:7px solid var(--c);border-radius:4px;background:color-mix(in srgb,var(--c) var(--tint),var(--bg));break-inside:avoid}
    .sentence.low{border-left-style:dashed}
    .sentences.compact .sentence{grid-template-columns:2.8rem minmax(0,1fr)}
    .sentence:target{outline:3px solid var(--ring);outline-offset:1px}
    .where{font-size:.8rem;color:var(--muted);overflow-wrap:anywhere}
    .where a{color:var(--muted);text-decoration:none;font-variant-numeric:tabular-nums;margin-right:.4em}
    .where .speaker{display:block;color:var(--fg);font-weight:600}
    .where .speaker.same{font-weight:normal;color:var(--muted)}
    .text{margin:0;overflow-wrap:anywhere}
    .labels{display:flex;flex-wrap:wrap;gap:.25rem .35rem;margin-top:.3rem}
    .scores{display:none;font-size:.78rem;color:var(--muted);margin-top:.3rem;white-space:pre-line}
    .sentence:focus .scores{display:block}
    table.index{width:100%;border-collapse:collapse;font-size:.9rem}
    table.index th,table.index td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
    table.index td.n,table.index th.n{text-align:right;font-variant-numeric:tabular-nums}
    table.index .stack{height:.9rem;margin:.2rem 0}
    table.index tfoot td{font-weight:600}
    .mix{font-size:.78rem;color:var(--muted)}
    .tiles{display:flex;flex-wrap:wrap;gap:.5rem;margin:.4rem 0 .8rem}
    .tile{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.35rem .8rem;min-width:7.5rem}
    .tile b{display:block;font-size:1.25rem;font-variant-numeric:tabular-nums}
    .tile span{font-size:.78rem;color:var(--muted)}
    .evalgrid{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem;align-items:start}
    table.confusion{border-collapse:collapse;font-size:.82rem;font-variant-numeric:tabular-nums}
    table.confusion caption{caption-side:bottom;text-align:left;font-size:.78rem;color:var(--muted);padding-top:.3rem}
    table.confusion th{font-weight:600;padding:.25rem .4rem;text-align:right;white-space:nowrap}
    table.confusion thead th{text-align:center;vertical-align:bottom}
    .scroll{overflow-x:auto}
    table.confusion td{text-align:center;padding:.25rem .45rem;min-width:3.2rem;border:1px solid var(--line)}
    table.confusion td.diag{outline:2px solid var(--fg);outline-offset:-2px;font-weight:700}
    table.confusion td .pct{display:block;font-size:.72rem;opacity:.85}
    table.confusion td.total{color:var(--muted);border:none}
    .prf{width:100%;max-width:40rem;height:auto;display:block}
    .prf .grid{stroke:var(--line)}
    footer{margin-top:2rem;font-size:.78rem;color:var(--muted)}
    @media (max-width:40rem){.sentences .sentence,.sentences.compact .sentence{grid-template-columns:1fr}.filters .head{min-width:0;width:100%}}
    @media print{
    *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
    body{font-size:10pt;background:#fff;color:#000}
    main{max-width:none;padding:0}
    .panel,.sentence,.tile,.evalgrid>section{break-inside:avoid}
    .scores{display:block}
    .filters .hint,.reset,.status:empty{display:none}
    .chip{cursor:auto}
    a{color:inherit;text-decoration:none}
    }
    """
}

/// Okabe–Ito colours (Okabe & Ito 2002, "Color Universal Design"), told
/// apart by people with the common colour-vision deficiencies. Each label of a
/// head gets one; every use also shows the label as text.
enum Palette {
    static let orange = "#E69F00", skyBlue = "#56B4E9", bluishGreen = "#009E73", yellow = "#F0E442"
    static let blue = "#0072B2", vermillion = "#D55E00", reddishPurple = "#CC79A7"
    /// For labels that mean "no label": drawn without a hue.
    static let neutral = "#9A9A9A"

    /// The order colours are handed out in.
    static let order = [blue, vermillion, bluishGreen, reddishPurple, orange, skyBlue, yellow]

    /// The guidelines' stance labels keep colours that read at a glance
    /// (weapons in vermillion, cooperation in green); other labels take the
    /// remaining colours in label order.
    static let preferred: [String: String] = [
        "militarisation": vermillion, "militarization": vermillion, "cooperation": bluishGreen,
        "rivalry": orange, "prestige": reddishPurple,
    ]

    static func isNeutral(_ label: String) -> Bool {
        ["none", "neutral", "n/a", ""].contains(label.lowercased())
    }

    /// A colour for each of `labels` (order-dependent, deterministic).
    static func colours(for labels: [String]) -> [String: String] {
        var out: [String: String] = [:]
        var taken: Set<String> = []
        for l in labels where !isNeutral(l) {
            if let c = preferred[l.lowercased()], !taken.contains(c) { out[l] = c; taken.insert(c) }
        }
        let free = order.filter { !taken.contains($0) }
        var next = 0
        for l in labels where out[l] == nil {
            if isNeutral(l) { out[l] = neutral; continue }
            out[l] = free[next % free.count]
            next += 1
        }
        return out
    }
}
