import Foundation
import Testing
@testable import StanceKit

/// Inputs for the fuzz targets of `scripts/fuzz`, fed to the same APIs as the
/// targets (Fuzz/Targets/*.swift): each must be handled without a crash; a
/// thrown error is fine.
///
/// A crash that `scripts/fuzz` finds becomes a test of its own below, with
/// the input inline (`feed("srt", [0x31, 0x0A, ...])`). The seed corpus in
/// Fuzz/corpus/<target>/ is replayed too, so the seeds keep working.
@Suite struct FuzzRegressionTests {
    static let targets = ["segmenter", "srt", "vtt", "youtube", "text", "transcript-jsonl", "tsv", "corpus", "model", "model-payload"]

    /// What the fuzz target `target` does with its input.
    static func feed(_ target: String, _ bytes: [UInt8]) {
        let data = Data(bytes)
        func transcript(_ format: TranscriptFormat, columns: [String]? = nil) {
            let reader = TranscriptReader(columns: columns)
            if let pieces = try? reader.read(data, format: format, source: "fuzz-input") {
                _ = SentenceSegmenter().segment(pieces: pieces)
            }
            if [.srt, .vtt, .youtube].contains(format) {
                _ = try? reader.cues(data, format: format, source: "fuzz-input")
            }
        }
        switch target {
        case "segmenter":
            _ = SentenceSegmenter().segment(text: String(decoding: bytes, as: UTF8.self))
        case "srt": transcript(.srt)
        case "vtt": transcript(.vtt)
        case "youtube": transcript(.youtube)
        case "text": transcript(.text); transcript(.lines)
        case "transcript-jsonl": transcript(.jsonl)
        case "tsv": transcript(.tsv, columns: ["line", "speaker", "start", "end", "text", "label"])
        case "corpus":
            _ = try? CorpusReader().read(data: data, source: "fuzz-input.jsonl")
            if let result = try? CorpusReader(skipInvalid: true).read(data: data, source: "fuzz-input.jsonl") {
                _ = try? CorpusSchema.infer(result.sentences, source: "fuzz-input.jsonl")
            }
            _ = try? CorpusReader(heads: ["stance", "claim"], skipInvalid: true).read(data: data, source: "fuzz-input.jsonl")
        case "model":
            _ = try? ModelFile.decode(bytes, source: "fuzz-input.stance")
        case "model-payload":
            _ = try? ModelFile.decode(modelFile(payload: bytes), source: "fuzz-input.stance")
        default:
            Issue.record("unknown fuzz target \(target)")
        }
    }

    /// A model file around `payload`, with a header of the right length and CRC-32.
    static func modelFile(payload: [UInt8]) -> [UInt8] {
        var file = ModelFile.magic
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { file.append(contentsOf: $0) } }
        le(ModelFile.formatVersion)
        le(UInt64(payload.count))
        le(CRC32.checksum(payload))
        return file + payload
    }

    static let corpusRoot = Repo.root.appendingPathComponent("Fuzz/corpus")

    /// "target/file" for every seed in Fuzz/corpus.
    static let seeds: [String] = targets.flatMap { target -> [String] in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpusRoot.appendingPathComponent(target).path)) ?? []
        return names.sorted().map { "\(target)/\($0)" }
    }

    static func seed(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: corpusRoot.appendingPathComponent(path)))
    }

    @Test func everyTargetHasSeeds() {
        for target in FuzzRegressionTests.targets {
            #expect(FuzzRegressionTests.seeds.contains { $0.hasPrefix(target + "/") }, "no seeds in Fuzz/corpus/\(target)")
        }
    }

    @Test(arguments: seeds) func seedIsHandled(_ path: String) throws {
        FuzzRegressionTests.feed(String(path.prefix { $0 != "/" }), try FuzzRegressionTests.seed(path))
    }

    /// The model seeds are whole, valid model files (and their payloads), so
    /// that the fuzzer starts from inputs that reach every section. After a
    /// change of the model format, regenerate them (Fuzz/README.md).
    @Test func modelSeedsAreValidModels() throws {
        for path in FuzzRegressionTests.seeds where path.hasPrefix("model/") {
            let model = try ModelFile.decode(try FuzzRegressionTests.seed(path), source: path)
            #expect(!model.heads.isEmpty)
        }
        for path in FuzzRegressionTests.seeds where path.hasPrefix("model-payload/") {
            _ = try ModelFile.decode(FuzzRegressionTests.modelFile(payload: try FuzzRegressionTests.seed(path)), source: path)
        }
    }

    // MARK: - Crashes found by scripts/fuzz
    //
    // None so far. Add each as
    //
    //     /// Found by scripts/fuzz <target> on <date>: <what went wrong, file:line>.
    //     @Test func <target><WhatItIs>() {
    //         FuzzRegressionTests.feed("<target>", [0x.., ...])
    //     }
}
