import Dispatch
import Foundation

/// Expands command-line inputs into transcript files: files as given,
/// folders searched recursively for known extensions (sorted), and glob
/// patterns the shell did not expand. "-" stands for standard input.
public enum InputExpander {
    public static let knownExtensions: Set<String> = ["txt", "text", "srt", "vtt", "jsonl", "ndjson", "tsv", "sbv"]

    public static func expand(_ inputs: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        let fm = FileManager.default
        for input in inputs {
            if input == "-" { files.append(input); continue }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: input, isDirectory: &isDir) {
                if isDir.boolValue {
                    let found = (fm.enumerator(atPath: input)?.compactMap { $0 as? String } ?? [])
                        .filter { knownExtensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
                        .sorted()
                        .map { (input as NSString).appendingPathComponent($0) }
                    files += found
                } else {
                    files.append(input)
                }
            } else if input.contains(where: { "*?[".contains($0) }) {
                let matches = globPaths(input)
                if matches.isEmpty { missing.append(input) } else { files += matches }
            } else {
                missing.append(input)
            }
        }
        return (files, missing)
    }

    static func globPaths(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}

/// What became of one input file in a batch.
public struct BatchResult: Sendable {
    public var input: String
    public var doc: String
    public var outputs: [LabeledOutput]
    public var cues: [Cue]?
    public var error: StanceError?
}

/// Classifies many files, several at a time, handing results back in input order.
public struct BatchClassifier: Sendable {
    public let classifier: Classifier
    public var reader = TranscriptReader()
    /// Format for every file, or nil to choose by extension (text otherwise).
    public var format: TranscriptFormat?
    /// Whether writers need the input's cues (srt/vtt output).
    public var keepCues = false
    /// How many files are read and labelled at once.
    public var window = 16

    public init(classifier: Classifier) { self.classifier = classifier }

    public func format(of input: String) -> TranscriptFormat {
        format ?? TranscriptFormat.fromExtension(input) ?? .text
    }

    public static func docName(_ input: String) -> String {
        input == "-" ? "stdin" : CorpusReader.docName(input)
    }

    /// Processes `inputs` in windows of `window` files in parallel; `emit` is
    /// called once per file, in input order, on the calling thread.
    public func run(_ inputs: [String], emit: (BatchResult) -> Void) {
        var start = 0
        while start < inputs.count {
            let slice = Array(inputs[start..<min(start + window, inputs.count)])
            var results = [BatchResult?](repeating: nil, count: slice.count)
            results.withUnsafeMutableBufferPointer { buf in
                let base = buf.baseAddress!
                DispatchQueue.concurrentPerform(iterations: slice.count) { i in
                    base[i] = process(slice[i])
                }
            }
            for r in results { emit(r!) }
            start += slice.count
        }
    }

    public func process(_ input: String) -> BatchResult {
        do {
            return process(input, data: try BatchClassifier.read(input))
        } catch let e as StanceError {
            return BatchResult(input: input, doc: BatchClassifier.docName(input), outputs: [], cues: nil, error: e)
        } catch {
            return BatchResult(input: input, doc: BatchClassifier.docName(input), outputs: [], cues: nil,
                               error: .input(file: input, message: "\(error)"))
        }
    }

    /// Processes the contents `data` of `input`.
    public func process(_ input: String, data: Data) -> BatchResult {
        let doc = BatchClassifier.docName(input)
        var result = BatchResult(input: input, doc: doc, outputs: [], cues: nil, error: nil)
        do {
            let fmt = format(of: input)
            if keepCues, [.srt, .vtt, .youtube].contains(fmt) {
                let (pieces, cues) = try reader.readWithCues(data, format: fmt, source: input)
                result.outputs = classifier.label(classifier.sentences(from: pieces, format: fmt), doc: doc)
                result.cues = cues
            } else {
                result.outputs = classifier.label(try classifier.sentences(of: data, format: fmt, source: input, reader: reader), doc: doc)
            }
        } catch let e as StanceError {
            result.error = e
        } catch {
            result.error = .input(file: input, message: "\(error)")
        }
        return result
    }

    static func read(_ input: String) throws -> Data {
        if input == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
            throw StanceError.input(file: input, message: "no such file. Check the path.")
        }
        guard !isDir.boolValue else { throw StanceError.input(file: input, message: "is a folder.") }
        guard let d = FileManager.default.contents(atPath: input) else {
            throw StanceError.input(file: input, message: "cannot read the file. Check its permissions.")
        }
        return d
    }
}
