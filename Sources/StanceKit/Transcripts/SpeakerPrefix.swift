/// Speaker labels at the start of a transcript line.
///
/// A line starts a new speaker turn when it begins with
/// - `NAME: text` — a name of 1–4 words and at most 30 characters, either in
///   ALL CAPS (`HENRY:`, `THE PRESIDENT:`, `Q:`) or in Title Case with at
///   least two capitalised words (`Sen. Walsh:`, `John de Souza:`) or
///   starting with a role word (`Moderator:`, `Speaker 2:`); the colon must
///   be followed by a space and more text. A parenthesis after the name (`SMITH (through translator):`) is
///   dropped. Ordinary sentence openings (`Note: this`, `Breaking News: ...`)
///   and times (`10:30`) are not names.
/// - `[NAME] text` — the same names in brackets, except sound tags
///   (`[Music]`, `[APPLAUSE]`).
/// - `>>` — the caption mark for a new speaker, with or without a name after
///   it; without one the speaker is unknown (nil).
/// When unsure, a line has no label.
enum SpeakerPrefix {
    struct Match {
        var speaker: String?
        var rest: Substring
    }

    /// The label at the start of `line`, or nil when there is none.
    static func parse(_ line: Substring) -> Match? {
        var t = line.trimmingWhitespace()
        var marked = false
        if t.hasPrefix(">>") {
            t = t.drop(while: { $0 == ">" }).trimmingWhitespace()
            marked = true
        }
        if let m = bracketed(t) ?? colon(t) { return m }
        return marked ? Match(speaker: nil, rest: t) : nil
    }

    private static func bracketed(_ t: Substring) -> Match? {
        guard t.first == "[", let close = t.prefix(48).firstIndex(of: "]") else { return nil }
        let name = t[t.index(after: t.startIndex)..<close].trimmingWhitespace()
        var rest = t[t.index(after: close)...].trimmingWhitespace()
        if rest.first == ":" { rest = rest.dropFirst().trimmingWhitespace() }
        guard !rest.isEmpty, let n = speakerName(name), !n.split(separator: " ").contains(where: { soundWords.contains(bare($0)) }) else { return nil }
        return Match(speaker: n, rest: rest)
    }

    private static func colon(_ t: Substring) -> Match? {
        guard let colon = t.prefix(48).firstIndex(of: ":") else { return nil }
        let after = t[t.index(after: colon)...]
        guard let f = after.unicodeScalars.first, f.properties.isWhitespace else { return nil }
        let rest = after.trimmingWhitespace()
        guard !rest.isEmpty, let n = speakerName(t[..<colon]) else { return nil }
        return Match(speaker: n, rest: rest)
    }

    /// `candidate` as a speaker name, without a trailing parenthesis, or nil.
    static func speakerName(_ candidate: Substring) -> String? {
        var name = candidate.trimmingWhitespace()
        if name.last == ")", let open = name.lastIndex(of: "(") {
            name = name[..<open].trimmingWhitespace()
        }
        guard !name.isEmpty, name.count <= 30 else { return nil }
        let words = name.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...4).contains(words.count) else { return nil }
        for w in words {
            guard w.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "'" || $0 == "\u{2019}" || $0 == "-" }) else { return nil }
        }
        guard let first = words.first?.first, first.isLetter else { return nil }
        let lowered = words.map(bare)
        let letters = name.filter(\.isLetter)
        if letters.allSatisfy({ $0.isUppercase }) {
            guard !lowered.contains(where: { notNames.contains($0) }) else { return nil }
            return String(name)
        }
        // Title Case: capitalised words, lowercase name particles inside.
        for (i, w) in words.enumerated() {
            let c = w.first!
            if c.isUppercase { continue }
            if c.isNumber, i > 0 { continue }
            if i > 0, i < words.count - 1, particles.contains(lowered[i]) { continue }
            return nil
        }
        guard !lowered.contains(where: { commonWords.contains($0) || notNames.contains($0) }) else { return nil }
        let capitalised = words.filter { $0.first!.isUppercase }.count
        guard capitalised >= 2 || roles.contains(lowered[0]) else { return nil }
        return String(name)
    }

    private static func bare(_ w: Substring) -> String {
        String(w.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "'" })
    }

    /// Words that make a label something other than a name, in any case.
    static let notNames: Set<String> = [
        "note", "notes", "update", "updated", "warning", "caution", "breaking", "correction", "disclaimer",
        "transcript", "chapter", "part", "step", "summary", "tip", "fact", "example", "ps", "re", "fwd",
        "subject", "date", "time", "source", "sources", "copyright", "editor's", "ok", "okay", "yes", "no",
        "hint", "rule", "lesson", "important", "reminder", "spoiler", "edit", "episode", "fyi", "btw", "nb",
        "faq", "tldr", "eta", "asap", "rsvp", "www",
    ]

    /// Function and common words that do not occur in Title Case names.
    static let commonWords: Set<String> = [
        "the", "a", "an", "in", "on", "at", "for", "to", "of", "and", "or", "but", "with", "from", "by", "as",
        "my", "our", "your", "his", "her", "their", "this", "that", "these", "those", "it", "its", "is", "are",
        "was", "were", "be", "news", "line", "question", "answer", "key", "takeaway", "bottom", "title",
        "conclusion", "introduction", "intro", "result", "results", "problem", "solution", "point", "reason",
        "today", "yesterday", "tomorrow", "here", "there", "what", "why", "how", "who", "when", "where", "so",
        "now", "then", "also", "first", "second", "third", "finally", "next", "last", "one", "two", "three",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "fun", "side", "quick",
        "bonus", "final", "big", "new", "old", "update",
    ]

    /// Lowercase particles inside names: "John de Souza", "Ludwig van Beethoven".
    static let particles: Set<String> = ["de", "van", "von", "der", "den", "da", "del", "della", "di", "du", "la", "le", "al", "bin", "ibn", "el"]

    /// Single Title Case words that label a speaker.
    static let roles: Set<String> = [
        "host", "cohost", "co-host", "moderator", "interviewer", "interviewee", "narrator", "reporter", "anchor",
        "announcer", "presenter", "speaker", "audience", "panelist", "guest", "caller", "chair", "chairman",
        "chairwoman", "chairperson", "president", "senator", "witness", "judge", "translator", "interpreter",
        "voiceover", "participant", "respondent", "student", "teacher", "professor", "doctor", "q", "a",
    ]

    /// Bracketed words that describe a sound, not a speaker.
    static let soundWords: Set<String> = [
        "music", "applause", "laughter", "laughing", "laughs", "cheering", "cheers", "crosstalk", "inaudible",
        "silence", "noise", "sound", "sounds", "sighs", "coughs", "background", "indistinct", "chatter",
        "foreign", "speaking", "singing", "footsteps", "static", "beep", "beeping", "playing", "gunshot",
        "gunshots", "groans", "gasps", "whispers", "whispering", "clapping", "crowd", "unintelligible", "audio",
        "upbeat", "dramatic", "soft", "intro", "outro", "blank_audio",
    ]
}
