// Fuzz target: the annotated-corpus reader (JSON Lines), as stance-train uses
// it: every head inferred, or the heads named; then the schema check.
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = inputData(data, size)
    _ = try? CorpusReader().read(data: bytes, source: "fuzz-input.jsonl")
    if let result = try? CorpusReader(skipInvalid: true).read(data: bytes, source: "fuzz-input.jsonl") {
        _ = try? CorpusSchema.infer(result.sentences, source: "fuzz-input.jsonl")
    }
    _ = try? CorpusReader(heads: ["stance", "claim"], skipInvalid: true).read(data: bytes, source: "fuzz-input.jsonl")
    return 0
}
