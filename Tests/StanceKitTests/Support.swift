import Foundation
@testable import StanceKit

/// Paths of the repository and of ../shared, found from this file's location.
enum Repo {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared: URL = root.deletingLastPathComponent().appendingPathComponent("shared")
    static var seedTranscript: URL { shared.appendingPathComponent("seeds/000_c1c43dae5ad8973a.txt") }
    static var corpus: URL { root.appendingPathComponent("Corpus/space-geopolitics") }

    static func corpusFiles(split: String) -> [URL] {
        let dir = corpus.appendingPathComponent(split)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { dir.appendingPathComponent($0) }
    }

    static func temporaryDirectory() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("stance-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}

/// A small corpus whose labels follow obvious cues, for training in tests.
enum TinyCorpus {
    static let records: [(String, String, String)] = [
        ("The two agencies signed a deal to build the station together.", "cooperation", "factual"),
        ("They agreed to share data and train crews jointly.", "cooperation", "factual"),
        ("A new partnership will pool money for the lunar base.", "cooperation", "opinion"),
        ("Both sides praised the friendship and the joint mission.", "cooperation", "factual"),
        ("The partners renewed their agreement on the orbiting laboratory.", "cooperation", "factual"),
        ("Joint work on the probe could deepen the alliance.", "cooperation", "opinion"),
        ("The missile destroyed a satellite in orbit.", "militarisation", "factual"),
        ("A laser weapon can blind reconnaissance satellites.", "militarisation", "factual"),
        ("The army tested an anti-satellite missile last year.", "militarisation", "factual"),
        ("Space weapons could make orbit a battlefield.", "militarisation", "opinion"),
        ("The military launched two more surveillance satellites.", "militarisation", "factual"),
        ("Warfare in orbit would destroy the weapons' own targets.", "militarisation", "opinion"),
        ("The rivals are racing to land first and dominate the Moon.", "rivalry", "opinion"),
        ("The race for leadership in orbit is heating up.", "rivalry", "opinion"),
        ("They fell out and now compete for the same markets.", "rivalry", "factual"),
        ("Sanctions ended the contract and the rivals drifted apart.", "rivalry", "factual"),
        ("It wants to catch up with its rival and beat it.", "rivalry", "opinion"),
        ("Distrust between the competitors keeps growing.", "rivalry", "opinion"),
    ]

    static func jsonl() -> String {
        records.map { r in
            JSONValue.object([("text", .string(r.0)), ("stance", .string(r.1)), ("claim", .string(r.2))]).serialized()
        }.joined(separator: "\n") + "\n"
    }

    static func sentences() -> [LabeledSentence] {
        records.map { LabeledSentence(text: $0.0, labels: ["stance": $0.1, "claim": $0.2]) }
    }

    static func model() throws -> StanceModel {
        let s = sentences()
        return try Trainer().train(s, schema: try CorpusSchema.infer(s, source: "tiny")).model
    }
}
