// Fuzz target: the srt transcript reader (read + segment, and cues).
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTranscript(data, size, format: .srt)
    return 0
}
