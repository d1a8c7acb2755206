// Fuzz target: the untimed plain-text transcript formats, text and lines.
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzTranscript(data, size, format: .text)
    fuzzTranscript(data, size, format: .lines)
    return 0
}
