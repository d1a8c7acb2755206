import Foundation
import Testing
@testable import StanceKit

@Suite struct CalibrationTests {
    func uniform(_ rng: inout SplitMix) -> Double { Double(rng.next() >> 11) / Double(1 << 53) }

    @Test func temperatureScalingRecoversAKnownTemperature() {
        // Labels drawn from softmax(z / 2): the fitted factor should be about 1/2.
        var rng = SplitMix(seed: 11)
        let n = 4000, k = 4
        var z: [Float] = [], y: [Int32] = []
        for _ in 0..<n {
            let row = (0..<k).map { _ in Float(uniform(&rng) * 8 - 4) }
            let e = row.map { exp(Double($0) / 2) }
            var u = uniform(&rng) * e.reduce(0, +)
            var label = k - 1
            for c in 0..<k { u -= e[c]; if u <= 0 { label = c; break } }
            z += row
            y.append(Int32(label))
        }
        let a = Calibration.temperatureFactor(logits: z, labels: y, classCount: k)
        #expect(abs(a - 0.5) < 0.06, "fitted factor \(a)")
    }

    @Test func plattScalingRecoversKnownParameters() {
        var rng = SplitMix(seed: 5)
        var z: [Float] = [], t: [Bool] = []
        for _ in 0..<5000 {
            let v = uniform(&rng) * 8 - 4
            z.append(Float(v))
            t.append(uniform(&rng) < 1 / (1 + exp(-(1.7 * v - 0.8))))
        }
        let (a, b) = Calibration.plattScaling(scores: z, positive: t)
        #expect(abs(a - 1.7) < 0.2 && abs(b + 0.8) < 0.2, "fitted a = \(a), b = \(b)")
        #expect(Calibration.plattScaling(scores: [1, 2], positive: [true, true]) == (1, 0))
    }

    @Test func calibrationErrorOfKnownBins() {
        // Two sentences at 0.95 confidence, one right: |0.5 − 0.95| = 0.45.
        #expect(abs(Calibration.expectedCalibrationError(confidence: [0.95, 0.95], correct: [true, false]) - 0.45) < 1e-12)
        #expect(Calibration.expectedCalibrationError(confidence: [1, 1], correct: [true, true]) == 0)
    }

    @Test func temperatureKeepsTheChosenLabel() throws {
        let model = try TinyCorpus.model()
        var settings = TrainingSettings()
        settings.calibrate = false
        let raw = try Trainer(settings: settings).train(TinyCorpus.sentences(), schema: try CorpusSchema.infer(TinyCorpus.sentences(), source: "tiny")).model
        for text in ["They tested a missile against a satellite.", "The agencies signed a joint deal together.", "Why?"] {
            let a = model.predict(text), b = raw.predict(text)
            for (p, q) in zip(a, b) where !(model.heads.first { $0.name == p.head }?.isMultiLabel ?? true) {
                #expect(p.label == q.label)
            }
        }
        #expect(model.metadata.metrics.keys.contains { $0.hasSuffix(".temperature") })
        #expect(raw.metadata.settings["calibration"] == "none")
    }

    @Test func foldsAreVectorizedFromTheirOwnTrainingRows() throws {
        let texts = ["alpha beta", "beta gamma", "gamma delta", "zeta only here"]
        let tokens = TfidfVectorizer.tokenize(texts, with: VectorizerSettings().tokenizer)
        let split = try FoldSplit(tokens: tokens, groups: [0, 1, 2, 3], train: [0, 1, 2], held: [3], settings: VectorizerSettings())
        #expect(!split.vectorizer.terms.contains("zeta"))
        #expect(split.xHeld.rowCount == 1 && split.xHeld.row(0).columns.isEmpty)
    }

    @Test func tuningByFoldsReportsWhatItTried() throws {
        let files = Repo.corpusFiles(split: "train").prefix(12)
        var sentences: [LabeledSentence] = []
        for f in files { sentences += try CorpusReader().read(path: f.path).sentences }
        let schema = try CorpusSchema.infer(sentences, source: "corpus")
        var tuner = Tuner()
        tuner.grid.wordNgrams = [1...1, 1...2]
        tuner.grid.charNgrams = [nil]
        tuner.grid.sublinearTF = [true]
        tuner.grid.minDF = [1]
        tuner.grid.context = [0]
        tuner.grid.c = [10]
        tuner.base.vectorizer.wordNgrams = 1...1
        let result = try tuner.search(sentences, validation: .folds(3), schema: schema)
        #expect(result.features.count == 2)
        #expect(result.regularisation.pairs.count == 2)
        #expect(result.regularisation.scores.allSatisfy { $0.allSatisfy { $0 > 0.2 && $0 <= 1 } })
        let table = Tuner.table(result, heads: schema.heads.map(\.name))
        #expect(table.contains("3-fold cross-validation") && table.contains("**chosen**") && table.contains("| 10 | balanced |"))
        let settings = tuner.settings(of: result, schema: schema)
        #expect(Set(settings.headRegression.keys) == Set(schema.heads.map(\.name)))
    }
}
