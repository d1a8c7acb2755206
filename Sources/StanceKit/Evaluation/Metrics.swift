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

    /// Readable tables: per-class scores, then the labelled confusion matrix.
    public func textReport() -> String {
        var s = "== \(head) ==\n"
        s += "accuracy  \(fmt(accuracy))   macro-F1  \(fmt(macroF1))   (n = \(confusion.reduce(0) { $0 + $1.reduce(0, +) }))\n\n"
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

    /// `{"accuracy", "macro_f1", "per_class": {...}, "confusion": {gold: {pred: n}}}`
    public func json() -> JSONValue {
        .object([
            ("accuracy", .number(accuracy)),
            ("macro_f1", .number(macroF1)),
            ("per_class", .object(perClass.map { c in
                (c.label, .object([("precision", .number(c.precision)), ("recall", .number(c.recall)),
                                   ("f1", .number(c.f1)), ("support", .number(Double(c.support)))]))
            })),
            ("confusion", .object(labels.enumerated().map { (i, g) in
                (g, .object(labels.enumerated().map { (j, p) in (p, .number(Double(confusion[i][j]))) }))
            })),
        ])
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
