// Fuzz target: the youtube transcript reader (read + segment, and cues).
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTranscript(data, size, format: .youtube)
    return 0
}
