// Fuzz target: JSON Lines transcripts ({"text": ..., "speaker": ..., "start": ..., "end": ...}).
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTranscript(data, size, format: .jsonl)
    return 0
}
