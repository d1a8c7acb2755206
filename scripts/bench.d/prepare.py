"""Converts the shared data sets into the inputs every system reads.

Usage: prepare.py DATA_DIR WORK_DIR [--scale N ...]

For each benchmark it writes, under WORK_DIR/data/<benchmark>/:
  train.jsonl      {"doc", "text", "label"} records: stance-train and scikit-learn read these
  train.ft         the same records as "__label__<label> <text>": fastText reads this
  dev.jsonl        (stance-tweeteval only) the val split
  train+dev.T.{jsonl,ft}, test.T.txt
                   (stance-tweeteval only) the same per target T: every system
                   trains one model per target, as stance is a view on a target
  test.txt         one test sentence per line: every system classifies this file
  test.gold        the gold label of each test line
  test.docs        (clef only) the transcript of each test line
and WORK_DIR/data/throughput.txt (500,000 tweets: the emoji test texts repeated)
and, for each N given with --scale, WORK_DIR/data/scale-N.{jsonl,txt} (the emoji
train data repeated to N sentences).

Every text is put on one line: characters that any of the systems could take
for a line break (Swift's Character.isNewline, Python's str.splitlines) become
spaces, so line k of test.txt is always sentence k for all three systems.
"""
import argparse
import json
import os
import re
import sys

# \n \v \f \r, FS GS RS, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
LINE_BREAKS = re.compile("[\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029]+")
THROUGHPUT_SENTENCES = 500_000


def clean(text):
    text = LINE_BREAKS.sub(" ", text).strip()
    return re.sub(r"\s+", " ", text)


def read_lines(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return [line.rstrip("\n") for line in f]


def read_split(folder, split):
    texts = read_lines(os.path.join(folder, f"{split}_text.txt"))
    labels = [l.strip() for l in read_lines(os.path.join(folder, f"{split}_labels.txt"))]
    if len(texts) != len(labels):
        sys.exit(f"prepare: {folder}/{split}: {len(texts)} texts but {len(labels)} labels")
    return [clean(t) for t in texts], labels


def write_train(folder, name, records):
    """records: (doc, text, label) tuples."""
    with open(os.path.join(folder, f"{name}.jsonl"), "w", encoding="utf-8") as j, \
         open(os.path.join(folder, f"{name}.ft"), "w", encoding="utf-8") as ft:
        for doc, text, label in records:
            j.write(json.dumps({"doc": doc, "text": text, "label": label}, ensure_ascii=False) + "\n")
            ft.write(f"__label__{label} {text}\n")


def write_test(folder, texts, gold, docs=None):
    for name, rows in (("test.txt", texts), ("test.gold", gold), ("test.docs", docs)):
        if rows is None:
            continue
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.writelines(r + "\n" for r in rows)


def check_text(texts, where):
    empty = sum(1 for t in texts if not t)
    if empty:
        sys.exit(f"prepare: {where}: {empty} empty sentences; line alignment between systems would break")


def emoji(data, out):
    folder = os.path.join(data, "tweeteval/datasets/emoji")
    texts, labels = read_split(folder, "train")
    check_text(texts, "emoji train")
    # One doc per tweet: tweets are independent, so no sentence has neighbours.
    write_train(out, "train", ((f"emoji-train-{i}", t, l) for i, (t, l) in enumerate(zip(texts, labels))))
    test_texts, test_labels = read_split(folder, "test")
    check_text(test_texts, "emoji test")
    write_test(out, test_texts, test_labels)
    return texts, labels, test_texts


def stance(data, out):
    base = os.path.join(data, "tweeteval/datasets/stance")
    names = dict(l.split("\t")[:2] for l in read_lines(os.path.join(base, "mapping.txt")) if l.strip())
    targets = sorted(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)))
    train, dev, test_texts, test_gold = [], [], [], []
    for target in targets:
        folder = os.path.join(base, target)
        for split, bucket in (("train", train), ("val", dev)):
            texts, labels = read_split(folder, split)
            check_text(texts, f"stance/{target} {split}")
            bucket.extend((f"{target}-{split}-{i}", t, names[l]) for i, (t, l) in enumerate(zip(texts, labels)))
        texts, labels = read_split(folder, "test")
        check_text(texts, f"stance/{target} test")
        write_train(out, f"train+dev.{target}", [r for r in train + dev if r[0].startswith(f"{target}-")])
        with open(os.path.join(out, f"test.{target}.txt"), "w", encoding="utf-8") as f:
            f.writelines(t + "\n" for t in texts)
        test_texts += texts
        test_gold += [names[l] for l in labels]
    write_train(out, "train", train)          # train split only: stance tunes on dev and then adds it
    write_train(out, "dev", dev)
    write_train(out, "train+dev", train + dev)  # what the peers train on: the same sentences
    write_test(out, test_texts, test_gold)


def clef(data, out):
    base = os.path.join(data, "clef2019-checkthat-task1")

    def transcripts(split):
        folder = os.path.join(base, split)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".tsv"):
                continue
            rows = []
            for n, line in enumerate(read_lines(os.path.join(folder, name)), 1):
                if not line.strip():
                    continue
                fields = line.split("\t")
                if len(fields) != 4:
                    sys.exit(f"prepare: {split}/{name}:{n}: expected 4 tab-separated fields, got {len(fields)}")
                rows.append((clean(fields[2]), fields[3].strip()))
            yield name[:-4], rows

    train = [(doc, t, l) for doc, rows in transcripts("training") for t, l in rows]
    check_text([t for _, t, _ in train], "clef training")
    write_train(out, "train", train)
    test = [(doc, t, l) for doc, rows in transcripts("test_annotated") for t, l in rows]
    check_text([t for _, t, _ in test], "clef test")
    write_test(out, [t for _, t, _ in test], [l for _, _, l in test], [d for d, _, _ in test])


def repeat(items, n):
    return [items[i % len(items)] for i in range(n)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("work")
    ap.add_argument("--scale", type=int, action="append", default=[])
    args = ap.parse_args()
    root = os.path.join(args.work, "data")
    for name in ("emoji", "stance-tweeteval", "clef"):
        os.makedirs(os.path.join(root, name), exist_ok=True)
    train_texts, train_labels, test_texts = emoji(args.data, os.path.join(root, "emoji"))
    stance(args.data, os.path.join(root, "stance-tweeteval"))
    clef(args.data, os.path.join(root, "clef"))
    with open(os.path.join(root, "throughput.txt"), "w", encoding="utf-8") as f:
        f.writelines(t + "\n" for t in repeat(test_texts, THROUGHPUT_SENTENCES))
    for n in args.scale:
        texts, labels = repeat(train_texts, n), repeat(train_labels, n)
        with open(os.path.join(root, f"scale-{n}.jsonl"), "w", encoding="utf-8") as j, \
             open(os.path.join(root, f"scale-{n}.txt"), "w", encoding="utf-8") as t:
            for i, (text, label) in enumerate(zip(texts, labels)):
                j.write(json.dumps({"doc": f"scale-{i}", "text": text, "label": label}, ensure_ascii=False) + "\n")
                t.write(text + "\n")


if __name__ == "__main__":
    main()
