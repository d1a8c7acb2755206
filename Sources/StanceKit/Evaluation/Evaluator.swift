import Dispatch

/// Scores a model against gold labels, head by head.
public struct Evaluator {
    public let model: StanceModel
    public init(model: StanceModel) { self.model = model }

    public struct Report {
        public var heads: [HeadMetrics]
        /// `{"heads": {"<head>": {...}}}`
        public func json() -> JSONValue { .object([("heads", .object(heads.map { ($0.head, $0.json()) }))]) }
    }

    public func evaluate(_ sentences: [LabeledSentence]) -> Report {
        let outputs = predict(sentences)
        let docs = sentences.map { $0.doc ?? "" }
        let heads = model.heads.enumerated().map { hi, head -> HeadMetrics in
            let gold = sentences.map { $0.labels[head.name] ?? "" }
            let preds = outputs.map { $0.predictions[hi] }
            var m = HeadMetrics(head: head.name, labels: head.labels, gold: gold, predicted: preds.map(\.label))
            let sets = head.isMultiLabel ? sentences.map { Set($0.multiLabels[head.name] ?? [$0.labels[head.name] ?? ""]) } : nil
            m.addScores(predictions: preds, gold: gold, docs: docs, goldSets: sets)
            return m
        }
        return Report(heads: heads)
    }

    /// The model's predictions for annotated sentences, each document
    /// labelled on its own so that context stays within it.
    public func predict(_ sentences: [LabeledSentence]) -> [LabeledOutput] {
        let classifier = Classifier(model: model)
        // Each document is labelled on its own, so that context stays within it.
        var outputs: [LabeledOutput] = []
        var start = 0
        let groups = Trainer.documentGroups(sentences)
        for i in 0...sentences.count where i == sentences.count || groups[i] != groups[start] {
            outputs += classifier.label(sentences[start..<i].map { Sentence(text: $0.text) }, doc: sentences[start].doc ?? "gold")
            start = i
        }
        return outputs
    }
}
