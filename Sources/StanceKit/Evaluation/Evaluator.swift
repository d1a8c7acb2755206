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
        let classifier = Classifier(model: model)
        let outputs = classifier.label(sentences.map { Sentence(text: $0.text) }, doc: "gold")
        let heads = model.heads.map { head -> HeadMetrics in
            let gold = sentences.map { $0.labels[head.name] ?? "" }
            let predicted = outputs.map { o in o.predictions.first { $0.head == head.name }!.label }
            return HeadMetrics(head: head.name, labels: head.labels, gold: gold, predicted: predicted)
        }
        return Report(heads: heads)
    }
}
