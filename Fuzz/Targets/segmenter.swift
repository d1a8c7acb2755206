// Fuzz target: SentenceSegmenter().segment(text:) on the input decoded as UTF-8
// (invalid sequences become U+FFFD, as everywhere else in stance).
import StanceKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = SentenceSegmenter().segment(text: text)
    return 0
}
