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
        let s = t.startIndex
        if t.count > 4, t[s] == 0x63, t[s + 1] == 0x6F, t[s + 2] == 0x2D, t[s + 3] == 0x6F {  // "co-o"
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
        // Every suffix rule's word ends in "ns", "on", "ng", "ed", "es", "se" or "re".
        if w.count > 5, SpellingVariants.mayHaveSuffix(w[w.endIndex - 2], w[w.endIndex - 1]) {
            for (british, american) in suffixes where w.count > british.utf8CodeUnitCount + 2 && w.hasSuffix(british) {
                let stem = w.dropLast(british.utf8CodeUnitCount)
                if british.utf8Start.pointee == 0x69, exemptStems.value(for: stem) != nil { break }  // "-is…" rules only
                buffer.appendPart(stem)
                buffer.appendPart(UnsafeBufferPointer(start: american.utf8Start, count: american.utf8CodeUnitCount))
                return
            }
        }
        buffer.appendPart(w)
    }

    @inline(__always) private static func mayHaveSuffix(_ a: UInt8, _ b: UInt8) -> Bool {
        switch (a, b) {
        case (0x6E, 0x73), (0x6F, 0x6E), (0x6E, 0x67), (0x65, 0x64), (0x65, 0x73), (0x73, 0x65), (0x72, 0x65): return true
        default: return false
        }
    }

    // StaticStrings: iterating them retains nothing.
    private static let suffixes: [(StaticString, StaticString)] = [
        ("isations", "izations"), ("isation", "ization"),
        ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize"),
        ("yses", "yzes"), ("ysed", "yzed"), ("ysing", "yzing"), ("yse", "yze"),
        ("metres", "meters"), ("metre", "meter"),
    ]

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
    /// 0 marks an empty slot (no key is empty).
    private var keyLengths: [UInt8]
    private var values: [[UInt8]]
    private let mask: Int
    /// Bit n set when some key is n bytes long (n < 64): most look-ups miss on length alone.
    private var lengths: UInt64 = 0

    init(_ pairs: [(String, String)]) {
        var cap = 16
        while cap < pairs.count * 2 { cap *= 2 }
        keys = Array(repeating: nil, count: cap)
        hashes = Array(repeating: 0, count: cap)
        keyLengths = Array(repeating: 0, count: cap)
        values = Array(repeating: [], count: cap)
        mask = cap - 1
        for (k, v) in pairs {
            let kb = Array(k.utf8)
            precondition(kb.count > 0 && kb.count < 64)
            lengths |= 1 << UInt64(kb.count)
            let h = FNV1a.hash(kb[...])
            var slot = Int(truncatingIfNeeded: h) & mask
            while let existing = keys[slot], existing != kb { slot = (slot + 1) & mask }
            keys[slot] = kb
            hashes[slot] = h
            keyLengths[slot] = UInt8(kb.count)
            values[slot] = Array(v.utf8)
        }
    }

    func value(for key: ArraySlice<UInt8>) -> [UInt8]? {
        guard key.count < 64, lengths >> UInt64(key.count) & 1 == 1 else { return nil }
        let h = FNV1a.hash(key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while keyLengths[slot] != 0 {
            if hashes[slot] == h, keys[slot]!.elementsEqual(key) { return values[slot] }
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
    /// True when the UTF-8 of `suffix` ends this slice.
    @inline(__always) func hasSuffix(_ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard count >= n else { return false }
        let p = suffix.utf8Start
        var i = endIndex - n
        for k in 0..<n {
            if self[i] != p[k] { return false }
            i += 1
        }
        return true
    }
}
