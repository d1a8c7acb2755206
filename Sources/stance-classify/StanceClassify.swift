import ArgumentParser
import DefaultModel
import Foundation
import StanceKit

@main
struct StanceClassify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stance-classify",
        abstract: "Label every sentence of transcripts by stance, perspective and claim.",
        discussion: """
        INPUT may be files, folders (searched recursively for .txt .srt .vtt .sbv .jsonl .tsv) and glob
        patterns; - reads standard input. The input format follows the extension (plain text otherwise).
        Without --model, the default space-geopolitics model built into this binary is used.
        Exit codes: 0 all inputs labelled, 1 failure, 2 some inputs failed (the others were written), 64 bad usage.
        """)

    @Option(name: .shortAndLong, help: "A model file from stance-train (default: the built-in model).")
    var model: String?

    @Option(help: ArgumentHelp("How to read inputs: \(TranscriptFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the extension).",
                               valueName: "format"))
    var inputFormat: String?

    @Option(help: "For tsv input: the names of the fields, e.g. line,speaker,text,label (the one named text is the sentence).")
    var columns: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "format"))
    var format: String = "jsonl"

    @Option(name: .shortAndLong, help: "Write all output to this file (replaced only when the run ends).")
    var output: String?

    @Option(help: "Write one output per input into this folder: same base name, the format's extension.")
    var outputDir: String?

    @Flag(name: .shortAndLong, help: "No progress bar.")
    var quiet = false

    @Argument(help: "Transcripts: files, folders, globs, or - for standard input.")
    var inputs: [String] = ["-"]

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")), got \(format).")
        }
        if let f = inputFormat, TranscriptFormat(rawValue: f) == nil {
            throw ValidationError("--input-format must be one of \(TranscriptFormat.allCases.map(\.rawValue).joined(separator: ", ")), got \(f).")
        }
        if output != nil && outputDir != nil { throw ValidationError("Give --output or --output-dir, not both.") }
        if inputFormat == "tsv" && columns == nil { throw ValidationError("--input-format tsv needs --columns, e.g. --columns line,speaker,text,label.") }
        if let c = columns, !c.split(separator: ",").contains("text") { throw ValidationError("--columns must name one field text, got \(c).") }
        if let f = OutputFormat(rawValue: format), f.needsCues, output != nil || (outputDir == nil && inputs.count > 1) {
            throw ValidationError("--format \(format) writes one subtitle file per input: use --output-dir DIR (or one input to standard output).")
        }
        if format == OutputFormat.html.rawValue, outputDir == nil, inputs.count > 1 { throw StanceClassify.severalPages }
    }

    static let severalPages = ValidationError(
        "--format html writes one page per transcript: give one input, or --output-dir DIR for several (it also writes DIR/index.html).")

    func run() throws {
        let loaded: StanceModel
        do {
            if let model {
                loaded = try ModelFile.read(path: model)
            } else {
                loaded = try DefaultModelLoader.load(bytes: stance_default_model_bytes(), count: stance_default_model_size())
            }
        } catch let e as StanceError {
            warn("error: \(e)")
            throw ExitCode.failure
        }
        let out = OutputFormat(rawValue: format)!
        var batch = BatchClassifier(classifier: Classifier(model: loaded))
        batch.format = inputFormat.flatMap(TranscriptFormat.init(rawValue:))
        batch.reader = TranscriptReader(columns: columns.map { $0.split(separator: ",").map { String($0) } })
        batch.keepCues = out.needsCues

        let (files, missing) = InputExpander.expand(inputs)
        if out == .html, outputDir == nil, files.count > 1 { throw StanceClassify.severalPages }
        var failures = 0
        for m in missing {
            warn("\(m): no such file, folder or matching pattern. Check the path.")
            failures += 1
        }
        if let dir = outputDir {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                warn("error: cannot create the output folder \(dir): \(error.localizedDescription)")
                throw ExitCode.failure
            }
        }

        let heads = loaded.heads.map(\.name)
        let version = "stance \(StanceVersion.current) \(loaded.metadata.created)"
        let report = HTMLReport(model: loaded, modelVersion: version)
        var sink = Sink(format: out, heads: heads, modelVersion: version, report: report, toFile: output)
        var progress = Progress(total: files.count, enabled: !quiet && isatty(2) != 0)
        var usedNames: Set<String> = out == .html ? ["index"] : []
        var pages: [HTMLReport.IndexEntry] = []
        func handle(_ result: BatchResult) {
            if let e = result.error {
                progress.clear()
                warn("\(e)")
                failures += 1
                return
            }
            if out.needsCues, result.cues == nil {
                progress.clear()
                warn("\(result.input): --format \(out.rawValue) needs timed cues: give an .srt, .vtt or .sbv input.")
                failures += 1
                return
            }
            if let dir = outputDir {
                var name = result.doc
                var n = 2
                while usedNames.contains(name) { name = "\(result.doc)-\(n)"; n += 1 }
                usedNames.insert(name)
                var one = Sink(format: out, heads: heads, modelVersion: version, report: report, toFile: nil)
                let file = "\(name).\(out.fileExtension)"
                let path = (dir as NSString).appendingPathComponent(file)
                do {
                    try AtomicFile.write(one.render(result, last: true), to: path)
                    if out == .html { pages.append(report.indexEntry(doc: result.doc, file: file, source: result.input, outputs: result.outputs)) }
                } catch {
                    progress.clear()
                    warn("\(error)")
                    failures += 1
                }
            } else {
                sink.add(result)
            }
            progress.advance(sentences: result.outputs.count)
        }
        // Line files stream in blocks (bounded memory); the others go through
        // the batch, several at a time; the output keeps input order.
        let stream = outputDir == nil && LineStream.supports(loaded)
            ? RecordRenderer(format: out, model: loaded).map { LineStream(model: loaded, renderer: $0) } : nil
        var pending: [String] = []
        func flush() {
            if !pending.isEmpty { batch.run(pending, emit: handle) }
            pending = []
        }
        for file in files {
            guard let stream, batch.format(of: file) == .lines else { pending.append(file); continue }
            flush()
            do {
                switch try stream.run(file, doc: BatchClassifier.docName(file), write: { sink.write($0) }) {
                case .done(let n):
                    sink.write(UnsafeRawBufferPointer(start: nil, count: 0))
                    progress.advance(sentences: n)
                case .notStreamable(let data):
                    handle(batch.process(file, data: data))
                }
            } catch {
                progress.clear()
                warn("\(error)")
                failures += 1
            }
        }
        flush()
        progress.clear()
        if out == .html, let dir = outputDir {
            do { try AtomicFile.write(Array(report.indexPage(pages).utf8), to: (dir as NSString).appendingPathComponent("index.html")) } catch {
                warn("\(error)")
                throw ExitCode.failure
            }
        }
        do { try sink.finish() } catch {
            warn("\(error)")
            throw ExitCode.failure
        }
        if failures > 0 { throw ExitCode(2) }
    }
}

/// Where the rendered output goes: standard output as it comes, or one file
/// written whole at the end.
struct Sink {
    let format: OutputFormat
    let heads: [String]
    let modelVersion: String
    let report: HTMLReport
    let toFile: String?
    var buffer: [UInt8] = []
    var started = false
    var openedArray = false

    init(format: OutputFormat, heads: [String], modelVersion: String, report: HTMLReport, toFile: String?) {
        self.format = format
        self.heads = heads
        self.modelVersion = modelVersion
        self.report = report
        self.toFile = toFile
    }

    /// Writes records rendered elsewhere (a csv/tsv header first, once).
    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        if !started, format == .csv || format == .tsv {
            let header = OutputWriter.delimitedHeader(heads: heads, separator: format == .csv ? 0x2C : 0x09)
            started = true
            header.withUnsafeBytes { write($0) }
        }
        started = true
        guard bytes.count > 0 else { return }
        if toFile != nil { buffer.append(contentsOf: bytes); return }
        var done = 0
        while done < bytes.count {
            let n = Foundation.write(1, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                warn("error: cannot write to standard output: \(String(cString: strerror(errno))).")
                Foundation.exit(1)
            }
            done += n
        }
    }

    mutating func add(_ result: BatchResult) {
        let bytes = render(result, last: false)
        if toFile == nil { FileHandle.standardOutput.write(Data(bytes)) } else { buffer += bytes }
    }

    /// Renders one input; `last` closes the stream (Label Studio's array).
    mutating func render(_ result: BatchResult, last: Bool) -> [UInt8] {
        var out: [UInt8] = []
        switch format {
        case .jsonl:
            for o in result.outputs { OutputWriter.jsonRecord(o, into: &out); out.append(0x0A) }
        case .csv, .tsv:
            let sep: UInt8 = format == .csv ? 0x2C : 0x09
            if !started { out += OutputWriter.delimitedHeader(heads: heads, separator: sep) }
            for o in result.outputs { OutputWriter.delimitedRow(o, heads: heads, separator: sep, into: &out) }
        case .table:
            out += Array("== \(result.input) ==\n".utf8)
            out += Array(OutputWriter.table(result.outputs, heads: heads).utf8)
        case .labelstudio:
            for o in result.outputs {
                out += Array((openedArray ? ",\n" : "[\n").utf8)
                openedArray = true
                OutputWriter.labelStudioTask(o, modelVersion: modelVersion, into: &out)
            }
            if last { out += closing() }
        case .srt, .vtt:
            out += OutputWriter.subtitles(cues: result.cues ?? [], outputs: result.outputs, vtt: format == .vtt)
        case .html:
            out += Array(report.page(doc: result.doc, source: result.input, outputs: result.outputs).utf8)
        }
        started = true
        return out
    }

    /// The end of Label Studio's task array.
    func closing() -> [UInt8] { Array((openedArray ? "\n]\n" : "[]\n").utf8) }

    mutating func finish() throws {
        let tail = format == .labelstudio ? closing() : []
        if let path = toFile {
            try AtomicFile.write(buffer + tail, to: path)
        } else if !tail.isEmpty {
            FileHandle.standardOutput.write(Data(tail))
        }
    }
}

/// A one-line progress bar on a terminal's stderr, shown once a batch has
/// taken more than a second.
struct Progress {
    let total: Int
    let enabled: Bool
    let started = Date()
    var files = 0
    var sentences = 0
    var shown = false

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    mutating func advance(sentences n: Int) {
        files += 1
        sentences += n
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(started)
        guard elapsed > 1 else { return }
        let width = 30
        let done = total == 0 ? width : width * files / total
        let bar = String(repeating: "#", count: done) + String(repeating: "-", count: width - done)
        let rate = Int(Double(sentences) / max(elapsed, 1e-3))
        FileHandle.standardError.write(Data("\r[\(bar)] \(files)/\(total) files, \(sentences) sentences, \(rate)/s ".utf8))
        shown = true
    }

    mutating func clear() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data("stance-classify: \(message)\n".utf8))
}
