/// Classification metrics of one head.
///
///     precision_c = TP_c / (TP_c + FP_c)     recall_c = TP_c / (TP_c + FN_c)
///     F1_c        = 2·P·R / (P + R)          (0 when P + R = 0)
///     macro-F1    = mean of F1_c over the classes present in gold or predictions
public struct HeadMetrics: Sendable, Equatable {
    public struct ClassScores: Sendable, Equatable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    public var head: String
    public var labels: [String]
    /// confusion[gold][predicted], in `labels` order.
    public var confusion: [[Int]]
    public var accuracy: Double
    public var macroF1: Double
    public var perClass: [ClassScores]
    /// Expected calibration error (10 equal bins) of the chosen label's
    /// probability; for a multi-label head, of every label's sigmoid against
    /// whether the sentence carries that label (`calibrationPerLabel`).
    public var calibrationError: Double?
    public var calibrationPerLabel = false
    /// For a two-label head: the label ranked (the one fewer gold sentences carry),
    /// its average precision over all sentences, and the mean of the
    /// per-document average precisions (documents with at least one positive).
    public var positiveLabel: String?
    public var averagePrecision: Double?
    public var meanAveragePrecision: Double?

    public init(head: String, labels: [String], gold: [String], predicted: [String]) {
        precondition(gold.count == predicted.count, "metrics: \(gold.count) gold labels but \(predicted.count) predictions")
        var all = labels
        for l in gold + predicted where !all.contains(l) { all.append(l) }
        let index = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: all.count), count: all.count)
        var correct = 0
        for (g, p) in zip(gold, predicted) {
            confusion[index[g]!][index[p]!] += 1
            if g == p { correct += 1 }
        }
        self.head = head
        self.labels = all
        self.confusion = confusion
        self.accuracy = gold.isEmpty ? 0 : Double(correct) / Double(gold.count)
        var per: [ClassScores] = []
        var f1Sum = 0.0
        var present = 0
        for (c, label) in all.enumerated() {
            let tp = confusion[c][c]
            let support = confusion[c].reduce(0, +)
            let predictedCount = confusion.reduce(0) { $0 + $1[c] }
            let p = predictedCount == 0 ? 0 : Double(tp) / Double(predictedCount)
            let r = support == 0 ? 0 : Double(tp) / Double(support)
            let f = p + r == 0 ? 0 : 2 * p * r / (p + r)
            per.append(ClassScores(label: label, precision: p, recall: r, f1: f, support: support))
            if support > 0 || predictedCount > 0 { f1Sum += f; present += 1 }
        }
        self.perClass = per
        self.macroF1 = present == 0 ? 0 : f1Sum / Double(present)
    }

    /// Adds the metrics that need the model's scores: calibration error and,
    /// for two labels, average precision (overall and mean over `docs`).
    /// `goldSets` (a multi-label head's gold labels per sentence) switches
    /// the calibration error to every label's score.
    public mutating func addScores(predictions: [HeadPrediction], gold: [String], docs: [String], goldSets: [Set<String>]? = nil) {
        if let goldSets {
            calibrationError = Calibration.perLabelCalibrationError(
                probabilities: predictions.flatMap { $0.scores.map { Double($0.probability) } },
                carries: zip(predictions, goldSets).flatMap { p, set in p.scores.map { set.contains($0.label) } })
            calibrationPerLabel = true
        } else {
            calibrationError = Calibration.expectedCalibrationError(
                confidence: predictions.map { p in Double(p.scores.first { $0.label == p.label }?.probability ?? 0) },
                correct: zip(predictions, gold).map { $0.label == $1 })
        }
        guard labels.count == 2 else { return }
        let counts = labels.map { l in gold.filter { $0 == l }.count }
        let positive = counts[0] < counts[1] ? labels[0] : labels[1]
        positiveLabel = positive
        let scores = predictions.map { p in Double(p.scores.first { $0.label == positive }?.probability ?? 0) }
        averagePrecision = HeadMetrics.averagePrecision(scores: scores, relevant: gold.map { $0 == positive })
        var byDoc: [String: [Int]] = [:]
        for (i, d) in docs.enumerated() { byDoc[d, default: []].append(i) }
        let aps = byDoc.keys.sorted().compactMap { d -> Double? in
            let idx = byDoc[d]!
            guard idx.contains(where: { gold[$0] == positive }) else { return nil }
            return HeadMetrics.averagePrecision(scores: idx.map { scores[$0] }, relevant: idx.map { gold[$0] == positive })
        }
        if byDoc.count > 1, !aps.isEmpty { meanAveragePrecision = aps.reduce(0, +) / Double(aps.count) }
    }

    /// AP = (1 / R) Σ_k P(k)·rel(k) over the ranking by descending score
    /// (ties in input order), R the number of relevant items.
    public static func averagePrecision(scores: [Double], relevant: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var hits = 0
        var sum = 0.0
        for (k, i) in order.enumerated() where relevant[i] {
            hits += 1
            sum += Double(hits) / Double(k + 1)
        }
        return hits == 0 ? 0 : sum / Double(hits)
    }

    /// Readable tables: per-class scores, then the labelled confusion matrix.
    public func textReport() -> String {
        var s = "== \(head) ==\n"
        s += "accuracy  \(fmt(accuracy))   macro-F1  \(fmt(macroF1))   (n = \(confusion.reduce(0) { $0 + $1.reduce(0, +) }))\n"
        if let e = calibrationError {
            s += "calibration error (ECE, 10 bins\(calibrationPerLabel ? ", every label's score" : ""))  \(fmt(e))\n"
        }
        if let ap = averagePrecision, let p = positiveLabel {
            s += "average precision of \"\(p)\"  \(fmt(ap))"
            if let m = meanAveragePrecision { s += "   mean over documents  \(fmt(m))" }
            s += "\n"
        }
        s += "\n"
        let w = max(labels.map(\.count).max() ?? 5, 7)
        s += pad("label", w) + "  precision  recall      f1  support\n"
        for c in perClass {
            s += pad(c.label, w) + "  " + lpad(fmt(c.precision), 9) + "  " + lpad(fmt(c.recall), 6) + "  " + lpad(fmt(c.f1), 6) + "  " + lpad("\(c.support)", 7) + "\n"
        }
        s += "\nconfusion (rows: gold, columns: predicted)\n"
        let cw = max(labels.map { min($0.count, 14) }.max() ?? 4, 5)
        s += pad("", w) + labels.map { "  " + lpad(String($0.prefix(14)), cw) }.joined() + "\n"
        for (i, row) in confusion.enumerated() {
            s += pad(labels[i], w) + row.map { "  " + lpad("\($0)", cw) }.joined() + "\n"
        }
        return s
    }

    /// `{"accuracy", "macro_f1", "per_class": {...}, "confusion": {gold: {pred: n}}}`, plus
    /// "expected_calibration_error" and, for two labels, "average_precision" and
    /// "mean_average_precision" when scores were added.
    public func json() -> JSONValue {
        let perClassJSON: [(String, JSONValue)] = perClass.map { c in
            (c.label, .object([("precision", .number(c.precision)), ("recall", .number(c.recall)),
                               ("f1", .number(c.f1)), ("support", .number(Double(c.support)))]))
        }
        let confusionJSON: [(String, JSONValue)] = labels.enumerated().map { (i, g) in
            (g, .object(labels.enumerated().map { (j, p) in (p, .number(Double(confusion[i][j]))) }))
        }
        var fields: [(String, JSONValue)] = [
            ("accuracy", .number(accuracy)), ("macro_f1", .number(macroF1)),
            ("per_class", .object(perClassJSON)), ("confusion", .object(confusionJSON)),
        ]
        if let e = calibrationError {
            fields.append(("expected_calibration_error", .number(e)))
            fields.append(("calibration_scope", .string(calibrationPerLabel ? "every_label" : "chosen_label")))
        }
        if let p = positiveLabel { fields.append(("positive_label", .string(p))) }
        if let ap = averagePrecision { fields.append(("average_precision", .number(ap))) }
        if let m = meanAveragePrecision { fields.append(("mean_average_precision", .number(m))) }
        return .object(fields)
    }

    private func fmt(_ x: Double) -> String {
        let v = (x * 1000).rounded() / 1000
        var s = "\(v)"
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < 3 { s += String(repeating: "0", count: 3 - decimals) }
        }
        return s
    }
    private func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
    private func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
}
