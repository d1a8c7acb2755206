// Shared by every fuzz target (compiled into each binary next to its entry file).
import Foundation
import StanceKit

/// The fuzzer's input as `Data`.
func inputData(_ data: UnsafePointer<UInt8>, _ size: Int) -> Data {
    Data(bytes: data, count: size)
}

/// The fuzzer's input as `[UInt8]`.
func inputBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// Reads a transcript the way stance-classify does (`TranscriptReader.read`,
/// then `SentenceSegmenter.segment(pieces:)`), and for the timed formats also
/// asks for the cues (`TranscriptReader.cues`, used by the label writers).
/// Thrown errors are expected for bad input; only a crash is a finding.
func fuzzTranscript(_ data: UnsafePointer<UInt8>, _ size: Int, format: TranscriptFormat, columns: [String]? = nil) {
    let bytes = inputData(data, size)
    let reader = TranscriptReader(columns: columns)
    if let pieces = try? reader.read(bytes, format: format, source: "fuzz-input") {
        _ = SentenceSegmenter().segment(pieces: pieces)
    }
    if [.srt, .vtt, .youtube].contains(format) {
        _ = try? reader.cues(bytes, format: format, source: "fuzz-input")
    }
}
