/// Folds British and American spellings (and a few hyphenation variants) to
/// one form, so one corpus serves both: "militarisation" and "militarization"
/// both become "militarization", "programme" becomes "program",
/// "co-operation" becomes "cooperation".
public enum SpellingVariants {
    /// Returns the folded form of a lowercase token.
    public static func fold(_ token: String) -> String {
        if let w = words[token] { return w }
        var t = token
        if t.hasPrefix("co-o") { t = "coo" + t.dropFirst(4) }
        // Hyphenated words fold part by part: "500-metre" → "500-meter".
        if t.contains("-") {
            return t.split(separator: "-", omittingEmptySubsequences: false).map { foldWord(String($0)) }.joined(separator: "-")
        }
        return foldWord(t)
    }

    static func foldWord(_ w: String) -> String {
        if let v = words[w] { return v }
        guard w.utf8.count > 5 else { return w }
        // -isation/-ise/-ising/-ised → -ization/-ize/...; words that merely end in -ise are kept.
        for (british, american) in suffixes where w.hasSuffix(british) {
            let stem = w.dropLast(british.count)
            if stem.count >= 3, !isExempt(String(stem), british) {
                return stem + american
            }
        }
        return w
    }

    private static let suffixes: [(String, String)] = [
        ("isations", "izations"), ("isation", "ization"),
        ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize"),
        ("yses", "yzes"), ("ysed", "yzed"), ("ysing", "yzing"), ("yse", "yze"),
        ("metres", "meters"), ("metre", "meter"),
    ]

    private static func isExempt(_ stem: String, _ suffix: String) -> Bool {
        guard suffix.hasPrefix("is") else { return false }
        return exemptStems.contains(stem)
    }

    /// Stems of words whose -ise is not the British -ize ("advise", "surprise", "exercise").
    private static let exemptStems: Set<String> = [
        "adv", "advert", "compr", "comprom", "conc", "prec", "prem", "prom", "surpr",
        "exerc", "enterpr", "expert", "superv", "telev", "rev", "pra",
        "cru", "bru", "dev", "disgu", "desp", "chast", "merchand", "improv", "exc", "inc",
        "circumc", "treat", "parad", "gu", "dem", "likew", "clockw", "otherw", "appr", "dispr",
        "franch", "requ", "upr", "sunr", "highr", "cerat",
    ]

    private static let words: [String: String] = {
        let pairs: [(String, String)] = [
            ("programme", "program"), ("programmes", "programs"),
            ("defence", "defense"), ("defences", "defenses"), ("offence", "offense"), ("offences", "offenses"),
            ("licence", "license"), ("pretence", "pretense"),
            ("metre", "meter"), ("metres", "meters"), ("centre", "center"), ("centres", "centers"), ("theatre", "theater"), ("fibre", "fiber"),
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
            ("practise", "practice"), ("practised", "practiced"), ("grey", "gray"), ("aluminium", "aluminum"),
            ("aeroplane", "airplane"), ("sceptical", "skeptical"), ("sceptic", "skeptic"),
            ("judgement", "judgment"), ("ageing", "aging"), ("cheque", "check"),
            ("co-operate", "cooperate"), ("co-ordinate", "coordinate"), ("co-ordination", "coordination"),
            ("organisation", "organization"), ("organisations", "organizations"),
        ]
        return Dictionary(pairs, uniquingKeysWith: { a, _ in a })
    }()
}
