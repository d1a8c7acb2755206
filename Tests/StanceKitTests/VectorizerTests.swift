import Foundation
import Testing
@testable import StanceKit

@Suite struct VectorizerTests {
    @Test func tfidfMatchesHandComputedValues() throws {
        var s = VectorizerSettings()
        s.wordNgrams = 1...1
        s.sublinearTF = false
        let docs = [["moon", "moon", "base"], ["moon", "race"]]
        let v = try TfidfVectorizer(settings: s).fit(tokenized: docs)
        #expect(v.terms == ["base", "moon", "race"])
        // idf = ln((1 + 2) / (1 + df)) + 1
        let idfBase = log(3.0 / 2.0) + 1, idfMoon = 1.0
        #expect(abs(Double(v.idf[0]) - idfBase) < 1e-6)
        #expect(abs(Double(v.idf[1]) - idfMoon) < 1e-6)
        // doc 0: base 1·idfBase, moon 2·1, normalised
        let row = v.vector(tokens: docs[0])
        let norm = (idfBase * idfBase + 4).squareRoot()
        #expect(row.columns == [0, 1])
        #expect(abs(Double(row.values[0]) - idfBase / norm) < 1e-6)
        #expect(abs(Double(row.values[1]) - 2 / norm) < 1e-6)
    }

    @Test func sublinearTfAndBigrams() throws {
        let docs = [["a", "a", "b"], ["b", "c"]]
        let v = try TfidfVectorizer().fit(tokenized: docs)
        #expect(v.terms == ["a", "a a", "a b", "b", "b c", "c"])
        let row = v.vector(tokens: docs[0])
        let idfA = log(3.0 / 2.0) + 1
        let tfA = 1 + log(2.0)
        let vals = [tfA * idfA, idfA, idfA, 1.0]   // a, "a a", "a b", b
        let norm = vals.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(row.columns == [0, 1, 2, 3])
        for (x, e) in zip(row.values, vals) { #expect(abs(Double(x) - e / norm) < 1e-6) }
    }

    @Test func rowsHaveUnitLengthAndUnknownWordsAreIgnored() throws {
        let tok = Tokenizer()
        let docs = TinyCorpus.records.map { tok.tokenize($0.0) }
        var s = VectorizerSettings()
        s.charNgrams = 2...4
        let v = try TfidfVectorizer(settings: s).fit(tokenized: docs)
        let m = v.transform(tokenized: docs)
        for i in 0..<m.rowCount {
            let r = m.row(i)
            let n = r.values.map { Double($0) * Double($0) }.reduce(0, +)
            #expect(abs(n - 1) < 1e-5)
            #expect(r.values.allSatisfy { $0 > 0 })
            #expect(Array(r.columns) == Array(r.columns).sorted())
        }
        #expect(v.vector(tokens: ["zzzqqq"]).columns.isEmpty || s.charNgrams != nil)
        #expect(v.vector(tokens: []).columns.isEmpty)
    }

    @Test func minDfMaxDfAndMaxFeatures() throws {
        var s = VectorizerSettings()
        s.wordNgrams = 1...1
        s.minDF = 2
        let docs = [["x", "y"], ["x", "z"], ["x", "y"]]
        #expect(try TfidfVectorizer(settings: s).fit(tokenized: docs).terms == ["x", "y"])
        s.minDF = 1
        s.maxDF = 0.7
        #expect(try TfidfVectorizer(settings: s).fit(tokenized: docs).terms == ["y", "z"])
        s.maxDF = 1
        s.maxFeatures = 1
        #expect(try TfidfVectorizer(settings: s).fit(tokenized: docs).terms == ["x"])
        s.maxFeatures = nil
        s.minDF = 9
        #expect(throws: StanceError.self) { try TfidfVectorizer(settings: s).fit(tokenized: docs) }
    }

    @Test func transposeRoundTrips() {
        var m = SparseMatrix(columnCount: 4)
        m.appendRow(columns: [0, 3], values: [1, 2])
        m.appendRow(columns: [], values: [])
        m.appendRow(columns: [1, 3], values: [3, 4])
        let t = m.transposed()
        #expect(t.rowCount == 4 && t.columnCount == 3)
        #expect(t.transposed() == m)
    }
}
