import ArgumentParser
import DefaultModel
import Foundation
import StanceKit

@main
struct StanceEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stance-eval",
        abstract: "Score a model on annotated sentences: accuracy, macro-F1, per-class scores, confusion matrix.")

    @Option(name: .shortAndLong, help: "A model file from stance-train (default: the built-in model).")
    var model: String?

    @Option(name: .shortAndLong, help: "Output format: text, json, or html (one self-contained page with heat maps and bars).")
    var format: String = "text"

    @Flag(help: "Print what the model file records (settings, corpus, heads) instead of scoring.")
    var describe = false

    @Argument(help: "Gold-standard corpus files (.jsonl), labelled on the model's heads.")
    var gold: [String] = []

    func validate() throws {
        guard ["text", "json", "html"].contains(format) else { throw ValidationError("--format must be text, json or html, got \(format).") }
        guard !gold.isEmpty || describe else { throw ValidationError("Give at least one gold corpus file.") }
    }

    func run() throws {
        do {
            let m = try model.map { try ModelFile.read(path: $0) }
                ?? DefaultModelLoader.load(bytes: stance_default_model_bytes(), count: stance_default_model_size())
            if describe {
                print(m.summary())
                return
            }
            let reader = CorpusReader(heads: m.heads.map(\.name))
            var sentences: [LabeledSentence] = []
            for f in gold { sentences += try reader.read(path: f).sentences }
            let report = Evaluator(model: m).evaluate(sentences)
            switch format {
            case "json": print(report.json().serialized())
            case "html":
                let version = "stance \(StanceVersion.current) \(m.metadata.created)"
                print(EvalReport.page(report, sentences: sentences.count, sources: gold, modelVersion: version), terminator: "")
            default:
                print("\(sentences.count) sentences from \(gold.count) file(s)\n")
                for h in report.heads { print(h.textReport()) }
            }
        } catch let e as StanceError {
            FileHandle.standardError.write(Data("stance-eval: error: \(e)\n".utf8))
            throw ExitCode.failure
        }
    }
}
