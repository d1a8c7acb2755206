import ArgumentParser
import Foundation
import StanceKit

@main
struct StanceTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stance-train",
        abstract: "Train a stance model from annotated sentences.",
        discussion: """
        JSON Lines: {"text": "...", "stance": "rivalry", "perspective": "china", ...} per line; every string
        field other than text, id, doc, speaker, start, end, split and sentence is a head, unless heads are
        named with --head. Also CSV/TSV with a header (a text column and one column per head; "a|b" for
        several labels), TSV without a header (--columns), doccano JSONL, Label Studio JSON exports and
        fastText files (__label__x text). The same data in any of these formats trains the same model.
        """)

    @Option(name: .shortAndLong, help: "Where to write the model file.")
    var output: String?

    @Option(help: ArgumentHelp("Corpus format: \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the extension).", valueName: "format"))
    var format: String?

    @Option(help: "For a TSV without a header: the names of its fields, e.g. line,speaker,text,label.")
    var columns: String?

    @Option(help: "The field holding the sentence.")
    var textColumn: String = "text"

    @Option(help: "Cross-validate with K folds (grouped by document when documents are known) and print the scores.")
    var cv: Int?

    @Option(name: .customLong("head"), help: "A head to train (repeatable). Default: every label field.")
    var heads: [String] = []

    @Option(help: "Word n-gram range, e.g. 1-2.")
    var wordNgrams: String = "1-2"

    @Option(help: "Character n-gram range within words, e.g. 2-5, or 'off'.")
    var charNgrams: String = "off"

    @Option(help: "Drop features found in fewer sentences than this.")
    var minDf: Int = 1

    @Option(help: "Drop features found in more than this fraction of sentences.")
    var maxDf: Double = 1.0

    @Option(help: "Keep only this many most frequent features.")
    var maxFeatures: Int?

    @Flag(help: "Use raw counts as term frequency instead of 1 + ln(count).")
    var noSublinearTf = false

    @Option(help: "Weight of the words of the sentences before and after, within a document (0 = off).")
    var context: Double = 0

    @Option(name: .customLong("C"), help: "Inverse regularisation strength (larger fits the training data more closely).")
    var c: Double = 10

    @Option(help: "Class weighting: none or balanced.")
    var classWeight: String = "none"

    @Option(help: "Maximum L-BFGS iterations per head.")
    var maxIter: Int = 500

    @Flag(help: "Train every head as a softmax over its primary labels, even when records carry several labels.")
    var singleLabel = false

    @Flag(help: "Leave scores uncalibrated (calibration fits a temperature, or Platt scaling per label, on out-of-fold scores: three extra fits per head).")
    var noCalibration = false

    @Flag(help: "Skip malformed records instead of stopping, and report how many.")
    var skipInvalid = false

    @Flag(help: "Search n-gram ranges, character n-grams, sublinear tf, min_df and context, then C and class weighting per head, by cross-validation on the corpus (or on --dev), print the table, and train the final model on all data with the best settings.")
    var tune = false

    @Option(help: "With --tune: the number of cross-validation folds.")
    var tuneFolds: Int = 3

    @Option(help: "A development set file (.jsonl) to tune on instead of folds (repeatable). Its sentences join the final training.")
    var dev: [String] = []

    @Option(help: "With --tune, also write the table of settings tried to this file (Markdown).")
    var tuneReport: String?

    @Argument(help: "Corpus files: .jsonl (or doccano), .csv, .tsv, .json (Label Studio export), .txt (fastText).")
    var corpus: [String]

    func validate() throws {
        guard !corpus.isEmpty else { throw ValidationError("Give at least one corpus file.") }
        guard output != nil || cv != nil else { throw ValidationError("Give --output MODEL (or --cv K to cross-validate only).") }
        if let f = format, CorpusFormat(rawValue: f) == nil {
            throw ValidationError("--format must be one of \(CorpusFormat.allCases.map(\.rawValue).joined(separator: ", ")), got \(f).")
        }
        if let k = cv, k < 2 { throw ValidationError("--cv needs at least 2 folds, got \(k).") }
        _ = try parseRange(wordNgrams, "--word-ngrams")
        if charNgrams != "off" { _ = try parseRange(charNgrams, "--char-ngrams") }
        guard c > 0 else { throw ValidationError("--C must be positive, got \(c).") }
        guard ClassWeighting(rawValue: classWeight) != nil else { throw ValidationError("--class-weight must be none or balanced, got \(classWeight).") }
        if tuneFolds < 2 { throw ValidationError("--tune-folds needs at least 2 folds, got \(tuneFolds).") }
        if !dev.isEmpty && !tune { throw ValidationError("--dev is used by --tune: add --tune, or list the file with the corpus files.") }
        guard context >= 0, context.isFinite else { throw ValidationError("--context must be 0 or more, got \(context).") }
        guard minDf >= 1 else { throw ValidationError("--min-df must be at least 1.") }
        guard maxDf > 0, maxDf <= 1 else { throw ValidationError("--max-df must be in (0, 1].") }
    }

    func run() throws {
        var settings = TrainingSettings()
        settings.vectorizer.wordNgrams = try parseRange(wordNgrams, "--word-ngrams")
        settings.vectorizer.charNgrams = charNgrams == "off" ? nil : try parseRange(charNgrams, "--char-ngrams")
        settings.vectorizer.minDF = minDf
        settings.vectorizer.maxDF = maxDf
        settings.vectorizer.maxFeatures = maxFeatures
        settings.vectorizer.sublinearTF = !noSublinearTf
        settings.vectorizer.context = context
        settings.multiLabel = !singleLabel
        settings.calibrate = !noCalibration
        settings.regression.c = c
        settings.regression.classWeighting = ClassWeighting(rawValue: classWeight)!
        settings.regression.maxIterations = maxIter
        do {
            var reader = CorpusReader(heads: heads.isEmpty ? nil : heads, skipInvalid: skipInvalid,
                                      format: format.flatMap(CorpusFormat.init(rawValue:)),
                                      columns: columns.map { $0.split(separator: ",").map(String.init) })
            reader.textColumn = textColumn
            var sentences: [LabeledSentence] = []
            var skipped = 0
            for f in corpus {
                let r = try reader.read(path: f)
                sentences += r.sentences
                skipped += r.skipped
            }
            if skipped > 0 { FileHandle.standardError.write(Data("stance-train: skipped \(skipped) invalid records\n".utf8)) }
            var schema = try CorpusSchema.infer(sentences, source: corpus.joined(separator: ", "))
            if let k = cv {
                let started = Date()
                let report = try CrossValidation(folds: k, settings: settings).run(sentences, schema: schema)
                print(report.text())
                print(String(format: "cross-validation took %.1f s\n", Date().timeIntervalSince(started)))
                guard output != nil else { return }
            }
            var files = corpus
            var devSentences: [LabeledSentence] = []
            for f in dev { devSentences += try reader.read(path: f).sentences }
            if tune {
                var tuner = Tuner()
                tuner.base = settings
                let result = try tuner.search(sentences, validation: dev.isEmpty ? .folds(tuneFolds) : .heldOut(devSentences), schema: schema)
                let table = Tuner.table(result, heads: schema.heads.map(\.name))
                print(table)
                if let tuneReport { try AtomicFile.write(Array(table.utf8), to: tuneReport) }
                settings = tuner.settings(of: result, schema: schema)
            }
            if !dev.isEmpty {
                sentences += devSentences
                files += dev
                schema = try CorpusSchema.infer(sentences, source: files.joined(separator: ", "))
            }
            let hash = try Trainer.corpusHash(files: files)
            let report = try Trainer(settings: settings).train(sentences, schema: schema, corpusHash: hash,
                                                              corpusFiles: files.map { URL(fileURLWithPath: $0).lastPathComponent })
            try ModelFile.write(report.model, to: output!)
            print("sentences   \(sentences.count)")
            print("vocabulary  \(report.model.vectorizer.featureCount) features")
            for h in report.perHead {
                let acc = String(format: "%.3f", h.trainAccuracy)
                print("head \(h.head): \(h.labels) labels, training accuracy \(acc), \(h.iterations) iterations\(h.converged ? "" : " (not converged: raise --max-iter)")")
                if let c = h.calibration {
                    let how = h.temperatureFactor.map { String(format: "temperature %.3f", 1 / $0) } ?? "Platt scaling per label"
                    print(String(format: "            calibrated by %@: out-of-fold calibration error (ECE) %.3f -> %.3f", how, c.before, c.after))
                }
            }
            print("settings    \(report.model.metadata.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
            print("time        \(String(format: "%.2f", report.seconds)) s")
            print("wrote       \(output!)")
        } catch let e as StanceError {
            FileHandle.standardError.write(Data("stance-train: error: \(e)\n".utf8))
            throw ExitCode.failure
        }
    }

    func parseRange(_ s: String, _ name: String) throws -> ClosedRange<Int> {
        let parts = s.split(separator: "-").compactMap { Int($0) }
        if parts.count == 1, parts[0] >= 1 { return parts[0]...parts[0] }
        guard parts.count == 2, parts[0] >= 1, parts[0] <= parts[1], parts[1] <= 8 else {
            throw ValidationError("\(name) must be a range like 1-2 (lengths 1 to 8), got \(s).")
        }
        return parts[0]...parts[1]
    }
}
