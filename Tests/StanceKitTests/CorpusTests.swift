import Foundation
import Testing
@testable import StanceKit

/// Checks of the shipped default corpus (Corpus/space-geopolitics) and of
/// the default model trained from it.
@Suite struct CorpusTests {
    static let schema: [String: Set<String>] = [
        "stance": ["cooperation", "rivalry", "militarisation", "prestige", "none"],
        "perspective": ["china", "russia", "us", "other", "neutral"],
        "claim": ["factual", "opinion", "none"],
    ]
    static let splits = ["train", "dev", "test"]

    struct Record { var split: String; var file: String; var line: Int; var object: [String: Any] }

    static let records: [Record] = {
        var out: [Record] = []
        for split in splits {
            for url in Repo.corpusFiles(split: split) {
                let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
                for (i, line) in text.split(separator: "\n").enumerated() {
                    let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? ["_malformed": true]
                    out.append(Record(split: split, file: url.lastPathComponent, line: i + 1, object: obj))
                }
            }
        }
        return out
    }()

    @Test func sizeAndDocuments() {
        #expect(CorpusTests.records.count >= 3000)
        let docs = Set(CorpusTests.records.compactMap { $0.object["doc"] as? String })
        #expect(docs.count >= 60)
    }

    @Test func everyRecordIsWellFormed() {
        var docOrder: [String: Int] = [:]
        for r in CorpusTests.records {
            let o = r.object
            let at = "\(r.split)/\(r.file):\(r.line)"
            #expect(o["_malformed"] == nil, "\(at): malformed JSON")
            guard let doc = o["doc"] as? String, let n = o["sentence"] as? Int, let text = o["text"] as? String else {
                Issue.record("\(at): needs doc, sentence and text"); continue
            }
            #expect(r.file == doc + ".jsonl", "\(at): doc \(doc) in the wrong file")
            #expect(n == docOrder[doc, default: 0], "\(at): sentence numbers must count from 0 in order")
            docOrder[doc] = n + 1
            #expect(!text.trimmingWhitespace().isEmpty, "\(at): empty text")
            for (head, labels) in CorpusTests.schema {
                #expect(labels.contains(o[head] as? String ?? ""), "\(at): \(head) = \(o[head] ?? "missing")")
            }
            if let all = o["stance_all"] {
                let list = all as? [String] ?? []
                #expect(list.count >= 2 && list.first == o["stance"] as? String && Set(list).count == list.count
                        && list.allSatisfy { CorpusTests.schema["stance"]!.contains($0) }, "\(at): stance_all must list the primary stance first, then others")
            }
        }
    }

    @Test func everyLabelHasItsShare() {
        let n = Double(CorpusTests.records.count)
        for (head, labels) in CorpusTests.schema {
            for label in labels {
                let share = Double(CorpusTests.records.filter { $0.object[head] as? String == label }.count) / n
                let floor = (label == "none" || label == "other") ? 0.05 : 0.08
                #expect(share >= floor, "\(head)=\(label) has \(share), needs at least \(floor)")
            }
        }
    }

    @Test func splitsAreByDocumentAndNearTheirTargetShares() {
        var splitOfDoc: [String: String] = [:]
        var counts: [String: Int] = [:]
        for r in CorpusTests.records {
            let doc = r.object["doc"] as? String ?? ""
            if let s = splitOfDoc[doc] { #expect(s == r.split, "document \(doc) is in both \(s) and \(r.split)") }
            splitOfDoc[doc] = r.split
            counts[r.split, default: 0] += 1
        }
        let n = Double(CorpusTests.records.count)
        #expect(abs(Double(counts["train", default: 0]) / n - 0.70) < 0.06)
        #expect(abs(Double(counts["dev", default: 0]) / n - 0.15) < 0.05)
        #expect(abs(Double(counts["test", default: 0]) / n - 0.15) < 0.05)
    }

    @Test func noDuplicatesOrNearDuplicates() {
        let texts = CorpusTests.records.map { $0.object["text"] as? String ?? "" }
        let pairs = NearDuplicates.find(texts, threshold: 0.8)
        #expect(pairs.isEmpty, "near-duplicates: \(pairs.prefix(5).map { "\(texts[$0.0]) || \(texts[$0.1])" })")
    }

    @Test func noSentenceOfTheSeedTranscript() throws {
        let seed = SentenceSegmenter().segment(text: try String(contentsOf: Repo.seedTranscript, encoding: .utf8)).map(\.text)
        let corpus = CorpusTests.records.map { $0.object["text"] as? String ?? "" }
        let pairs = NearDuplicates.find(corpus + seed, threshold: 0.7).filter { $0.0 < corpus.count && $0.1 >= corpus.count }
        #expect(pairs.isEmpty, "seed sentences in the corpus: \(pairs.prefix(5).map { "\((corpus + seed)[$0.0]) || \((corpus + seed)[$0.1])" })")
    }

    @Test func shippedModelIsTrainedOnTheCurrentCorpus() throws {
        let model = try ModelFile.read(path: Repo.root.appendingPathComponent("Models/default.stance").path)
        let files = (Repo.corpusFiles(split: "train") + Repo.corpusFiles(split: "dev")).map(\.path)
        let hash = try Trainer.corpusHash(files: files)
        #expect(model.metadata.corpusHash == hash, "Corpus/ changed since Models/default.stance was trained: run scripts/train-default-model")
        #expect(Set(model.heads.map(\.name)) == Set(CorpusTests.schema.keys))
    }
}

/// Finds pairs of sentences whose word sets overlap by Jaccard ≥ threshold
/// (exact duplicates included). Prefix filtering keeps it fast: with each
/// set's words ordered rarest first, two sets that reach the threshold must
/// share a word among the first |s| − ⌈t·|s|⌉ + 1 of either, so only those
/// words are indexed; candidates are then checked exactly.
enum NearDuplicates {
    static func find(_ texts: [String], threshold: Double) -> [(Int, Int)] {
        let tok = Tokenizer()
        var ids: [String: Int] = [:]
        var sets: [[Int]] = texts.map { t in
            Array(Set(tok.tokenize(t).map { w in ids[w] ?? { ids[w] = ids.count; return ids.count - 1 }() }))
        }
        var frequency = [Int](repeating: 0, count: ids.count)
        for s in sets { for w in s { frequency[w] += 1 } }
        for i in sets.indices { sets[i].sort { (frequency[$0], $0) < (frequency[$1], $1) } }
        var postings = [[Int]](repeating: [], count: ids.count)
        var found: [(Int, Int)] = []
        for (i, s) in sets.enumerated() where !s.isEmpty {
            let prefix = s.count - Int((threshold * Double(s.count)).rounded(.up)) + 1
            var candidates = Set<Int>()
            for w in s.prefix(prefix) {
                candidates.formUnion(postings[w])
                postings[w].append(i)
            }
            let mine = Set(s)
            for j in candidates {
                let inter = Double(sets[j].filter { mine.contains($0) }.count)
                if inter / (Double(s.count + sets[j].count) - inter) >= threshold { found.append((min(i, j), max(i, j))) }
            }
        }
        return found.sorted { $0 < $1 }
    }
}
