import Testing
@testable import StanceKit

@Suite struct TokenizerTests {
    let t = Tokenizer()

    @Test func keepsHyphenatedWordsAndNumbers() {
        #expect(t.tokenize("Tianwen-1 carries a 500-metre dish by 2049.") == ["tianwen-1", "carries", "a", "500-meter", "dish", "by", "2049"])
        #expect(t.tokenize("It cost 3.5 billion, or 1,000 times more.") == ["it", "cost", "3.5", "billion", "or", "1,000", "times", "more"])
    }

    @Test func splitsContractions() {
        #expect(t.tokenize("Don't they've Russia's can't") == ["do", "n't", "they", "'ve", "russia", "'s", "ca", "n't"])
        #expect(t.tokenize("It\u{2019}s O'Neill") == ["it", "'s", "o'neill"])
    }

    @Test func foldsBritishAndAmericanSpelling() {
        #expect(t.tokenize("militarisation militarization") == ["militarization", "militarization"])
        #expect(t.tokenize("programme program co-operation cooperation") == ["program", "program", "cooperation", "cooperation"])
        #expect(t.tokenize("prioritising weaponise defence centre") == ["prioritizing", "weaponize", "defense", "center"])
        // Words that only end in -ise are not American -ize words.
        #expect(t.tokenize("surprise exercise advertising promise") == ["surprise", "exercise", "advertising", "promise"])
    }

    @Test func keepsInitialismsAndQuestionMarks() {
        #expect(t.tokenize("Did the U.S. launch at 9 a.m.?") == ["did", "the", "u.s.", "launch", "at", "9", "a.m.", "?"])
        #expect(t.tokenize("Really!") == ["really", "!"])
    }

    @Test func lowercasesUnicode() {
        #expect(t.tokenize("ÉCOLE Ärger ПУТИН") == ["école", "ärger", "путин"])
        #expect(t.tokenize("") == [])
        #expect(t.tokenize("  -- ... ") == [])
    }
}
