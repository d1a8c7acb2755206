/// Subtitle markup: the tags of WebVTT and SRT cue text, SSA override blocks
/// and HTML character references.
public enum Markup {
    /// Plain text of cue markup.
    ///
    /// - Tags are removed: `<b>`, `<i>`, `<u>`, `<s>`, `<c.class>`, `<v Name>`,
    ///   `<v.loud Name>`, `<lang en>`, `<ruby>`, `<rt>`, `<font color="...">`,
    ///   `<span ...>`, `<br>` and their closing tags, and timestamp tags such as
    ///   `<00:00:01.000>`. The reading inside `<rt>…</rt>` is dropped with it;
    ///   `<br>` becomes a space.
    /// - SSA override blocks (`{\an8}`, `{\i1}`, `{\pos(10,20)}`) are removed.
    /// - Character references are decoded: `&amp; &lt; &gt; &quot; &apos;
    ///   &nbsp;` (as a plain space), `&lrm; &rlm;`, a few punctuation names
    ///   (`&mdash; &ndash; &hellip; &lsquo; &rsquo; &ldquo; &rdquo;`),
    ///   `&#NNN;` and `&#xHH;`. Unknown names stay as written.
    /// - A `<`, `&` or `{` that does not begin one of the above stays as text,
    ///   so `a < b and <i>open` becomes `a < b and open`.
    /// - Runs of spaces, tabs and line breaks become one space; the result is
    ///   trimmed.
    public static func clean(_ s: String) -> String { clean(s[...]) }

    static func clean(_ s: Substring) -> String {
        process(s, speaker: nil, splitVoices: false).parts[0].text
    }

    /// Cleans cue text and splits it at each voice span (`<v Name>`,
    /// `<v.loud Name>`). The text before the first span keeps `speaker` (the
    /// voice open before `s`); each later part has the name of the span that
    /// opens it (entities decoded), nil when the tag names none. Also returns
    /// the voice open at the end.
    static func voiceParts(_ s: Substring, speaker: String?) -> (parts: [(speaker: String?, text: String)], after: String?) {
        process(s, speaker: speaker, splitVoices: true)
    }

    /// `s` with runs of ASCII whitespace collapsed to one space, trimmed.
    static func collapsingWhitespace(_ s: Substring) -> String {
        var s = s
        return s.withUTF8 { b in
            var out = CollapsedText(capacity: b.count)
            out.append(b, 0..<b.count)
            return out.string
        }
    }

    private static func process(_ s: Substring, speaker: String?, splitVoices: Bool) -> (parts: [(speaker: String?, text: String)], after: String?) {
        var s = s
        return s.withUTF8 { b in
            var parts: [(speaker: String?, text: String)] = []
            var speaker = speaker
            var out = CollapsedText(capacity: b.count)
            var rubyReading = 0
            var runStart = 0
            var i = 0
            while i < b.count {
                let c = b[i]
                guard c == UInt8(ascii: "<") || c == UInt8(ascii: "&") || c == UInt8(ascii: "{") else { i += 1; continue }
                if c == UInt8(ascii: "<"), let t = tag(b, at: i) {
                    if rubyReading == 0 { out.append(b, runStart..<i) }
                    if t.name == Tag.rt { rubyReading = max(0, rubyReading + (t.closing ? -1 : 1)) }
                    if t.name == Tag.br { out.appendSpace() }
                    if splitVoices, t.name == Tag.v, !t.closing {
                        parts.append((speaker, out.string))
                        out = CollapsedText(capacity: b.count - i)
                        let name = clean(String(decoding: UnsafeBufferPointer(rebasing: b[t.annotation]), as: UTF8.self)[...])
                        speaker = name.isEmpty ? nil : name
                    }
                    i = t.end
                    runStart = i
                } else if c == UInt8(ascii: "&"), let (decoded, end) = entity(b, at: i) {
                    if rubyReading == 0 {
                        out.append(b, runStart..<i)
                        out.append(Array(decoded.utf8))
                    }
                    i = end
                    runStart = i
                } else if c == UInt8(ascii: "{"), let end = overrideBlockEnd(b, at: i) {
                    if rubyReading == 0 { out.append(b, runStart..<i) }
                    i = end
                    runStart = i
                } else {
                    i += 1
                }
            }
            if rubyReading == 0 { out.append(b, runStart..<b.count) }
            parts.append((speaker, out.string))
            return (parts, speaker)
        }
    }

    struct Tag {
        /// Up to 8 lowercase name bytes packed into an integer; 0 for a timestamp.
        var name: UInt64
        var closing: Bool
        var annotation: Range<Int>
        var end: Int

        static func pack<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
            guard bytes.count <= 8 else { return nil }
            return bytes.reduce(0) { $0 << 8 | UInt64($1 | 0x20) }
        }

        static let v = pack("v".utf8)!, rt = pack("rt".utf8)!, br = pack("br".utf8)!
        static let known: Set<UInt64> = Set([
            "b", "i", "u", "s", "c", "v", "lang", "ruby", "rt", "rp", "font", "span", "br", "em", "strong",
            "small", "big", "sub", "sup", "strike", "del", "ins", "mark", "tt", "p", "div",
        ].map { pack($0.utf8)! })
        /// Tags that may carry an annotation or attributes after a space.
        static let annotated: Set<UInt64> = Set(["v", "lang", "font", "span", "br", "p", "div"].map { pack($0.utf8)! })
    }

    /// The tag starting at `start` (a `<`). Its search stops at the next `<`
    /// or line break, which keeps scanning linear.
    private static func tag(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Tag? {
        var j = start + 1
        guard j < b.count else { return nil }
        var closing = false
        if b[j] == UInt8(ascii: "/") {
            closing = true
            j += 1
            guard j < b.count else { return nil }
        }
        if !closing, isDigit(b[j]) {
            var k = j
            while k < b.count, isDigit(b[k]) || b[k] == UInt8(ascii: ":") || b[k] == UInt8(ascii: ".") { k += 1 }
            guard k < b.count, b[k] == UInt8(ascii: ">") else { return nil }
            return Tag(name: 0, closing: false, annotation: k..<k, end: k + 1)
        }
        guard isLetter(b[j]) else { return nil }
        var k = j
        while k < b.count, isLetter(b[k]) || isDigit(b[k]) { k += 1 }
        guard let name = Tag.pack(UnsafeBufferPointer(rebasing: b[j..<k])), Tag.known.contains(name), k < b.count else { return nil }
        // Classes: <c.yellow.bg_blue>, <v.loud Name>.
        if b[k] == UInt8(ascii: "."), !closing {
            while k < b.count, !isSpace(b[k]), !isTagStop(b[k]) { k += 1 }
            guard k < b.count else { return nil }
        }
        var annotation = k..<k
        if isSpace(b[k]) || b[k] == UInt8(ascii: "/") {
            // "<b and c>" is text, but "</b >" and "<br/>" are tags.
            guard closing || Tag.annotated.contains(name) || b[k] == UInt8(ascii: "/") else { return nil }
            while k < b.count, isSpace(b[k]) { k += 1 }
            let a = k
            while k < b.count, !isTagStop(b[k]) { k += 1 }
            var e = k
            while e > a, isSpace(b[e - 1]) { e -= 1 }
            annotation = a..<e
            if closing, !annotation.isEmpty { return nil }
        }
        guard k < b.count, b[k] == UInt8(ascii: ">") else { return nil }
        return Tag(name: name, closing: closing, annotation: annotation, end: k + 1)
    }

    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "lrm": "\u{200E}", "rlm": "\u{200F}", "shy": "",
        "mdash": "\u{2014}", "ndash": "\u{2013}", "hellip": "\u{2026}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
    ]

    private static func entity(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> (String, Int)? {
        var j = start + 1
        guard j < b.count else { return nil }
        if b[j] == UInt8(ascii: "#") {
            j += 1
            let hex = j < b.count && (b[j] | 0x20) == UInt8(ascii: "x")
            if hex { j += 1 }
            let a = j
            var value: UInt32 = 0
            while j < b.count, j - a < 8, hex ? isHexDigit(b[j]) : isDigit(b[j]) {
                let d = isDigit(b[j]) ? b[j] - 0x30 : (b[j] | 0x20) - 0x61 + 10
                value = value * (hex ? 16 : 10) + UInt32(d)
                j += 1
            }
            guard j > a, j < b.count, b[j] == UInt8(ascii: ";") else { return nil }
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return (String(Character(scalar ?? "\u{FFFD}")), j + 1)
        }
        let a = j
        while j < b.count, j - a < 10, isLetter(b[j]) || isDigit(b[j]) { j += 1 }
        guard j > a, j < b.count, b[j] == UInt8(ascii: ";"),
              let d = entities[String(decoding: UnsafeBufferPointer(rebasing: b[a..<j]), as: UTF8.self)] else { return nil }
        return (d, j + 1)
    }

    /// The end of an SSA override block `{\...}` starting at `start`.
    private static func overrideBlockEnd(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var j = start + 1
        guard j < b.count, b[j] == UInt8(ascii: "\\") else { return nil }
        while j < b.count {
            switch b[j] {
            case UInt8(ascii: "}"): return j + 1
            case UInt8(ascii: "{"), 10, 13: return nil
            default: j += 1
            }
        }
        return nil
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    private static func isTagStop(_ b: UInt8) -> Bool { b == UInt8(ascii: ">") || b == UInt8(ascii: "<") || b == 10 || b == 13 }
}

/// UTF-8 text with runs of ASCII whitespace collapsed to one space and no
/// leading or trailing space.
struct CollapsedText {
    private var bytes: [UInt8] = []
    private var pendingSpace = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func appendSpace() { pendingSpace = true }

    mutating func append(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        var i = range.lowerBound
        while i < range.upperBound {
            var k = i
            while k < range.upperBound, !CollapsedText.isSpace(b[k]) { k += 1 }
            if k > i {
                if pendingSpace, !bytes.isEmpty { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<k]))
            }
            while k < range.upperBound, CollapsedText.isSpace(b[k]) { pendingSpace = true; k += 1 }
            i = k
        }
    }

    mutating func append(_ decoded: [UInt8]) {
        decoded.withUnsafeBufferPointer { append($0, 0..<$0.count) }
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
}
