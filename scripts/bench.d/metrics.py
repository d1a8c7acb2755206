"""Scores one system's predictions on one benchmark's test set.

  metrics.py BENCHMARK SYSTEM PREDICTIONS GOLD [DOCS]

BENCHMARK: emoji (macro-F1), stance-tweeteval ((F1[against] + F1[favor]) / 2
over the pooled test set, TweetEval's official metric) or clef (MAP: mean over
the test transcripts of the average precision of the sentences ranked by the
probability of label 1). SYSTEM says how to read PREDICTIONS:
  stance    stance-classify JSON Lines ("label" and "scores": {"label": {...}})
  fasttext  fasttext predict-prob ... -1 ("__label__x p __label__y q ...")
  sklearn   sklearn_peer.py predict --all-probs ("label<TAB>{json probs}")
Prints the score.
"""
import json
import sys
from collections import defaultdict

from sklearn.metrics import f1_score


def read(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return [line.rstrip("\n") for line in f]


def parse(system, lines):
    """Returns [(label, {label: probability})], one per sentence."""
    out = []
    if system == "stance":
        for line in lines:
            if line.strip():
                r = json.loads(line)
                out.append((r["label"], r["scores"]["label"]))
    elif system == "fasttext":
        for line in lines:
            parts = line.split()
            probs = {parts[i].removeprefix("__label__"): float(parts[i + 1]) for i in range(0, len(parts) - 1, 2)}
            label = max(probs, key=probs.get) if probs else ""
            out.append((label, probs))
    elif system == "sklearn":
        for line in lines:
            label, probs = line.split("\t", 1)
            out.append((label, json.loads(probs)))
    else:
        sys.exit(f"metrics: unknown system {system}")
    return out


def average_precision(ranked_gold):
    hits, total = 0, 0.0
    for k, g in enumerate(ranked_gold, 1):
        if g:
            hits += 1
            total += hits / k
    return total / hits if hits else 0.0


def main():
    benchmark, system, pred_path, gold_path = sys.argv[1:5]
    gold = [g.strip() for g in read(gold_path)]
    pred = parse(system, read(pred_path))
    if len(pred) != len(gold):
        sys.exit(f"metrics: {system} gave {len(pred)} predictions for {len(gold)} test sentences ({pred_path})")
    labels = [p[0] for p in pred]
    if benchmark == "emoji":
        score = f1_score(gold, labels, average="macro")
    elif benchmark == "stance-tweeteval":
        f = f1_score(gold, labels, labels=["against", "favor"], average=None)
        score = (f[0] + f[1]) / 2
    elif benchmark == "clef":
        docs = [d.strip() for d in read(sys.argv[5])]
        by_doc = defaultdict(list)
        for i, (d, g, (_, probs)) in enumerate(zip(docs, gold, pred)):
            by_doc[d].append((-probs.get("1", 0.0), i, g == "1"))
        # Highest probability first; ties keep transcript order.
        aps = [average_precision([hit for _, _, hit in sorted(rows)]) for rows in by_doc.values()]
        score = sum(aps) / len(aps)
    else:
        sys.exit(f"metrics: unknown benchmark {benchmark}")
    print(f"{score:.4f}")


if __name__ == "__main__":
    main()
