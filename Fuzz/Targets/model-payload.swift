// Fuzz target: the model loader past its header. The input is the payload
// (the sections); a valid header with the right length and CRC-32 is put in
// front, so that mutations reach the section parsers instead of stopping at
// the checksum, as they almost always do in the `model` target.
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = inputBytes(data, size)
    var file = ModelFile.magic
    func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { file.append(contentsOf: $0) } }
    le(ModelFile.formatVersion)
    le(UInt64(payload.count))
    le(CRC32.checksum(payload))
    file.append(contentsOf: payload)
    _ = try? ModelFile.decode(file, source: "fuzz-input.stance")
    return 0
}
