import ArgumentParser
import DefaultModel
import Foundation
import StanceKit

@main
struct StanceClassify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stance-classify",
        abstract: "Label every sentence of transcripts by stance, perspective and claim.",
        discussion: "Without --model, the default space-geopolitics model built into this binary is used.")

    @Option(name: .shortAndLong, help: "A model file from stance-train (default: the built-in model).")
    var model: String?

    @Option(help: "How to read the input: text (a transcript), lines (one sentence per line) or jsonl (records with \"text\").")
    var inputFormat: String?

    @Option(name: .shortAndLong, help: "Output format: jsonl or table.")
    var format: String = "jsonl"

    @Argument(help: "Transcript files, or - for standard input.")
    var inputs: [String] = ["-"]

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")), got \(format).")
        }
        if let f = inputFormat, InputFormat(rawValue: f) == nil {
            throw ValidationError("--input-format must be one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")), got \(f).")
        }
    }

    func run() throws {
        let loaded: StanceModel
        do {
            if let model {
                loaded = try ModelFile.read(path: model)
            } else {
                loaded = try DefaultModelLoader.load(bytes: stance_default_model_bytes(), count: stance_default_model_size())
            }
        } catch let e as StanceError {
            fail("\(e)")
            throw ExitCode.failure
        }
        let classifier = Classifier(model: loaded)
        let out = OutputFormat(rawValue: format)!
        var failures = 0
        for input in inputs {
            let doc = input == "-" ? "stdin" : URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
            do {
                let data: Data
                if input == "-" {
                    data = FileHandle.standardInput.readDataToEndOfFile()
                } else {
                    guard let d = FileManager.default.contents(atPath: input) else {
                        throw StanceError.input(file: input, message: "cannot read the file. Check the path and permissions.")
                    }
                    data = d
                }
                let fmt = InputFormat(rawValue: inputFormat ?? (input.hasSuffix(".jsonl") ? "jsonl" : "text"))!
                let labeled = classifier.label(try classifier.sentences(of: data, format: fmt, source: input), doc: doc)
                var bytes: [UInt8] = []
                switch out {
                case .jsonl:
                    for o in labeled {
                        OutputWriter.jsonRecord(o, into: &bytes)
                        bytes.append(0x0A)
                    }
                case .table:
                    if inputs.count > 1 { bytes += Array("== \(input) ==\n".utf8) }
                    bytes += Array(OutputWriter.table(labeled, heads: loaded.heads.map(\.name)).utf8)
                }
                FileHandle.standardOutput.write(Data(bytes))
            } catch let e as StanceError {
                fail("\(e)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode(2) }
    }

    func fail(_ message: String) {
        FileHandle.standardError.write(Data("stance-classify: error: \(message)\n".utf8))
    }
}
