// Fuzz target: tab-separated transcripts, with every column the reader knows.
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTranscript(data, size, format: .tsv, columns: ["line", "speaker", "start", "end", "text", "label"])
    return 0
}
