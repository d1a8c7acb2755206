// Fuzz target: the model loader, ModelFile.decode, on the raw input bytes.
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? ModelFile.decode(inputBytes(data, size), source: "fuzz-input.stance")
    return 0
}
