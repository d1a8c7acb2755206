/// Folds British and American spellings (and a few hyphenation variants) to
/// one form, so one corpus serves both: "militarisation" and "militarization"
/// both become "militarization", "programme" becomes "program",
/// "co-operation" becomes "cooperation", "500-metre" becomes "500-meter".
///
/// Whole words come from a table; -isation/-ise/-ising/-ised and
/// -yse/-metre endings are rewritten by rule, except in words that merely end
/// in -ise ("advise", "surprise", "exercise").
public enum SpellingVariants {
    /// The folded form of one lowercase token (UTF-8), appended to `buffer` as a token.
    static func fold(_ token: ArraySlice<UInt8>, into buffer: inout TokenBuffer) {
        if let r = words.value(for: token) {
            buffer.append(bytes: r)
            return
        }
        var t = token
        var rewritten: [UInt8] = []
        if t.count > 4, t.starts(with: coHyphenO) {
            rewritten = [0x63, 0x6F] + t.dropFirst(3)   // co-o… → coo…
            t = rewritten[...]
        }
        if t.contains(0x2D) {
            var first = true
            for part in t.split(separator: 0x2D, omittingEmptySubsequences: false) {
                if !first { buffer.appendPart(CollectionOfOne(0x2D)) }
                first = false
                foldWord(part, into: &buffer)
            }
            buffer.endToken()
        } else {
            // The unchanged token was looked up above.
            foldWord(t, lookUp: !rewritten.isEmpty, into: &buffer)
            buffer.endToken()
        }
    }

    /// Appends the folded form of a hyphen-free word (without ending the token).
    private static func foldWord(_ w: ArraySlice<UInt8>, lookUp: Bool = true, into buffer: inout TokenBuffer) {
        if lookUp, let r = words.value(for: w) { buffer.appendPart(r); return }
        // Every suffix rule's word ends in s, n, g, d or e.
        if w.count > 5, let last = w.last, last == 0x73 || last == 0x6E || last == 0x67 || last == 0x64 || last == 0x65 {
            for (british, american) in suffixes where w.count > british.count + 2 && w.elementsEqual(british, suffixOf: true) {
                let stem = w.dropLast(british.count)
                if british.first == 0x69, exemptStems.value(for: stem) != nil { break }  // "-is…" rules only
                buffer.appendPart(stem)
                buffer.appendPart(american)
                return
            }
        }
        buffer.appendPart(w)
    }

    private static let coHyphenO: [UInt8] = Array("co-o".utf8)

    private static let suffixes: [([UInt8], [UInt8])] = [
        ("isations", "izations"), ("isation", "ization"),
        ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize"),
        ("yses", "yzes"), ("ysed", "yzed"), ("ysing", "yzing"), ("yse", "yze"),
        ("metres", "meters"), ("metre", "meter"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// Stems of words whose -ise is not the British -ize ("advise", "surprise", "exercise").
    private static let exemptStems = ByteTable([
        "adv", "advert", "compr", "comprom", "conc", "prec", "prem", "prom", "surpr",
        "exerc", "enterpr", "expert", "superv", "telev", "rev", "pra",
        "cru", "bru", "dev", "disgu", "desp", "chast", "merchand", "improv", "exc", "inc",
        "circumc", "treat", "parad", "gu", "dem", "likew", "clockw", "otherw", "appr", "dispr",
        "franch", "requ", "upr", "sunr", "highr", "cerat",
    ].map { ($0, "") })

    private static let words = ByteTable([
        ("programme", "program"), ("programmes", "programs"),
        ("defence", "defense"), ("defences", "defenses"), ("offence", "offense"), ("offences", "offenses"),
        ("licence", "license"), ("pretence", "pretense"),
        ("metre", "meter"), ("metres", "meters"), ("centre", "center"), ("centres", "centers"),
        ("theatre", "theater"), ("fibre", "fiber"),
        ("colour", "color"), ("colours", "colors"), ("favour", "favor"), ("favours", "favors"),
        ("favourable", "favorable"), ("honour", "honor"), ("honours", "honors"), ("labour", "labor"),
        ("behaviour", "behavior"), ("neighbour", "neighbor"), ("neighbours", "neighbors"),
        ("neighbouring", "neighboring"), ("rumour", "rumor"), ("rumours", "rumors"),
        ("endeavour", "endeavor"), ("armour", "armor"), ("harbour", "harbor"), ("vigour", "vigor"),
        ("manoeuvre", "maneuver"), ("manoeuvres", "maneuvers"), ("manoeuvring", "maneuvering"),
        ("catalogue", "catalog"), ("dialogue", "dialog"), ("analogue", "analog"),
        ("travelled", "traveled"), ("travelling", "traveling"), ("modelling", "modeling"),
        ("modelled", "modeled"), ("cancelled", "canceled"), ("cancelling", "canceling"),
        ("fuelled", "fueled"), ("fuelling", "fueling"), ("labelled", "labeled"), ("signalled", "signaled"),
        ("practise", "practice"), ("practised", "practiced"), ("practising", "practicing"),
        ("grey", "gray"), ("aluminium", "aluminum"),
        ("aeroplane", "airplane"), ("sceptical", "skeptical"), ("sceptic", "skeptic"),
        ("judgement", "judgment"), ("ageing", "aging"), ("cheque", "check"),
        ("co-operate", "cooperate"), ("co-ordinate", "coordinate"), ("co-ordination", "coordination"),
    ])
}

/// A small read-only map from byte strings to byte strings, looked up
/// without allocating (FNV-1a hash, open addressing, keys compared in full).
struct ByteTable: Sendable {
    private var keys: [[UInt8]?]
    private var hashes: [UInt64]
    private var values: [[UInt8]]
    private let mask: Int
    /// Bit n set when some key is n bytes long (n < 64): most look-ups miss on length alone.
    private var lengths: UInt64 = 0

    init(_ pairs: [(String, String)]) {
        var cap = 16
        while cap < pairs.count * 2 { cap *= 2 }
        keys = Array(repeating: nil, count: cap)
        hashes = Array(repeating: 0, count: cap)
        values = Array(repeating: [], count: cap)
        mask = cap - 1
        for (k, v) in pairs {
            let kb = Array(k.utf8)
            precondition(kb.count < 64)
            lengths |= 1 << UInt64(kb.count)
            let h = FNV1a.hash(kb[...])
            var slot = Int(truncatingIfNeeded: h) & mask
            while let existing = keys[slot], existing != kb { slot = (slot + 1) & mask }
            keys[slot] = kb
            hashes[slot] = h
            values[slot] = Array(v.utf8)
        }
    }

    func value(for key: ArraySlice<UInt8>) -> [UInt8]? {
        guard key.count < 64, lengths >> UInt64(key.count) & 1 == 1 else { return nil }
        let h = FNV1a.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while let k = keys[slot] {
            if hashes[slot] == h, k.elementsEqual(key) { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }
}

/// 64-bit FNV-1a, fed byte by byte so that n-gram hashes can be built from
/// their tokens without joining strings.
enum FNV1a {
    static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) static func step(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    @inline(__always) static func hash(_ bytes: ArraySlice<UInt8>, from h: UInt64 = basis) -> UInt64 {
        var h = h
        for b in bytes { h = step(h, b) }
        return h
    }
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = basis
        for b in bytes { h = step(h, b) }
        return h
    }
}

extension ArraySlice where Element == UInt8 {
    /// True when `suffix` ends this slice.
    @inline(__always) func elementsEqual(_ suffix: [UInt8], suffixOf: Bool) -> Bool {
        guard count >= suffix.count else { return false }
        var i = endIndex - suffix.count
        for b in suffix {
            if self[i] != b { return false }
            i += 1
        }
        return true
    }
}
