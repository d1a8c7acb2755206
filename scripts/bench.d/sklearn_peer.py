"""The scikit-learn peer: TF-IDF (word 1-2 grams, sublinear tf) + logistic regression.

  sklearn_peer.py train CORPUS.jsonl MODEL.pkl
  sklearn_peer.py predict [--all-probs] MODEL.pkl SENTENCES.txt > OUT

predict reads one sentence per line and writes one line per sentence:
"label<TAB>probability" (the label's probability), or with --all-probs a JSON
object of every label's probability after the label, for ranking.
"""
import argparse
import json
import pickle
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline


def train(corpus, model_path):
    texts, labels = [], []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                texts.append(r["text"])
                labels.append(r["label"])
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        LogisticRegression(solver="lbfgs", max_iter=1000),
    )
    model.fit(texts, labels)
    with open(model_path, "wb") as f:
        pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
    lr = model[-1]
    print(f"sentences {len(texts)}, features {len(model[0].vocabulary_)}, iterations {int(max(lr.n_iter_))}",
          file=sys.stderr)


def predict(model_path, sentences, all_probs):
    with open(model_path, "rb") as f:
        model = pickle.load(f)
    with open(sentences, encoding="utf-8", newline="\n") as f:
        texts = [line.rstrip("\n") for line in f]
    probs = model.predict_proba(texts)
    classes = [str(c) for c in model.classes_]
    best = probs.argmax(axis=1)
    out = sys.stdout
    if all_probs:
        for row, b in zip(probs, best):
            out.write(classes[b] + "\t" + json.dumps(dict(zip(classes, map(float, row)))) + "\n")
    else:
        out.writelines(f"{classes[b]}\t{row[b]:.5f}\n" for row, b in zip(probs, best))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("corpus")
    t.add_argument("model")
    p = sub.add_parser("predict")
    p.add_argument("--all-probs", action="store_true")
    p.add_argument("model")
    p.add_argument("sentences")
    args = ap.parse_args()
    if args.command == "train":
        train(args.corpus, args.model)
    else:
        predict(args.model, args.sentences, args.all_probs)


if __name__ == "__main__":
    main()
