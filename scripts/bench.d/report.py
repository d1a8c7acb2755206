"""Builds the Markdown report from what scripts/bench recorded.

  report.py WORK_DIR > results.md

Reads WORK_DIR/meta.tsv (key<TAB>value), WORK_DIR/scores.tsv
(benchmark<TAB>system<TAB>score) and WORK_DIR/measurements.tsv
(key<TAB>run<TAB>seconds<TAB>peak_rss_kib); every time and memory figure is
the median over the runs of its key.
"""
import os
import statistics
import sys
from collections import defaultdict

SYSTEMS = [("stance", "stance"), ("sklearn", "scikit-learn"), ("fasttext", "fastText")]
PEERS = SYSTEMS[1:]
BENCHMARKS = [
    ("emoji", "TweetEval emoji", "macro-F1"),
    ("stance-tweeteval", "TweetEval stance (5 targets pooled)", "(F1 against + F1 favor) / 2"),
    ("clef", "CLEF-2019 check-worthiness", "MAP over 7 transcripts"),
]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def num(x, fmt):
    return "n/a" if x is None else format(x, fmt)


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}x"


def system_table(w, title, note, value, fmt, ratio_of):
    """One row per benchmark: each system's value, then stance's ratio to each peer."""
    w(title)
    w(note)
    w("| benchmark | stance | scikit-learn | fastText | vs scikit-learn | vs fastText |")
    w("| --- | ---: | ---: | ---: | ---: | ---: |")
    for b, name, _ in BENCHMARKS:
        v = {k: value(b, k) for k, _ in SYSTEMS}
        w(f"| {name} | " + " | ".join(num(v[k], fmt) for k, _ in SYSTEMS) + " | "
          + " | ".join(ratio_of(v, p) for p, _ in PEERS) + " |")


def main():
    work = sys.argv[1]
    meta = dict(read_tsv(os.path.join(work, "meta.tsv")))
    scores = {(b, s): float(v) for b, s, v in read_tsv(os.path.join(work, "scores.tsv"))}
    runs = defaultdict(list)
    for key, _, seconds, rss in read_tsv(os.path.join(work, "measurements.tsv")):
        runs[key].append((float(seconds), int(rss)))

    def secs(key):
        return statistics.median(s for s, _ in runs[key]) if key in runs else None

    def mib(key):
        return statistics.median(r for _, r in runs[key]) / 1024 if key in runs else None

    def count(n):
        return f"{int(n):,}"

    out = []
    w = out.append
    w("# Benchmarks: stance vs scikit-learn vs fastText\n")
    w(f"Machine: `nproc` = {meta['nproc']}, CPU: {meta['cpu']}, {meta['mem']} RAM; "
      f"BLAS: `{meta['blas']}`.  ")
    w(f"Versions: {meta['swift']}; scikit-learn {meta['sklearn']} (numpy {meta['numpy']}, Python {meta['python']}); "
      f"fastText {meta['fasttext']} (Debian).  ")
    w(f"Run on {meta['date']}; every time and memory figure is the median of {meta['runs']} run(s); "
      f"the whole run took {meta['elapsed']}.\n")
    w("Systems, on the same inputs: **stance** (`stance-train` defaults: word 1-2 grams, sublinear tf, "
      "C = 10, calibrated scores; on TweetEval stance `--tune`, i.e. 3-fold cross-validation on the training "
      "tweets); **scikit-learn** `TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)` + "
      "`LogisticRegression(solver=\"lbfgs\", max_iter=1000)`; **fastText** "
      "`supervised -epoch 5 -wordNgrams 2 -thread 1`. Peers train on the same sentences as stance. "
      "On TweetEval stance every system trains one model per target on that target's train + val "
      "tweets and labels that target's test tweets; the score pools all test tweets.\n")

    w("## Accuracy (test sets)\n")
    w("| benchmark | train sentences | metric | stance | scikit-learn | fastText | stance − scikit-learn | stance − fastText |")
    w("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for b, name, metric in BENCHMARKS:
        s = {k: scores.get((b, k)) for k, _ in SYSTEMS}
        diffs = [("n/a" if s["stance"] is None or s[p] is None else f"{s['stance'] - s[p]:+.4f}") for p, _ in PEERS]
        w(f"| {name} | {count(meta['train.' + b])} | {metric} | " + " | ".join(num(s[k], ".4f") for k, _ in SYSTEMS)
          + " | " + " | ".join(diffs) + " |")
    w("")

    system_table(w, "## Training time, seconds (whole process: read, vectorize, fit, write the model)\n",
                 "Ratio = peer time / stance time: above 1x stance trains faster.\n",
                 lambda b, k: secs(f"train/{b}/{k}"), ".2f", lambda t, p: ratio(t[p], t["stance"]))
    tuned = [(name, meta[f"tune.{b}"]) for b, name, _ in BENCHMARKS if meta.get(f"tune.{b}")]
    for name, what in tuned:
        w(f"\nstance's {name} time includes its `--tune` search ({what}, in the first run).")
    w("")

    system_table(w, "## Training peak memory, MiB (maximum resident set size)\n",
                 "Ratio = stance / peer: below 1x stance needs less.\n",
                 lambda b, k: mib(f"train/{b}/{k}"), ".0f", lambda m, p: ratio(m["stance"], m[p]))
    w("")

    n = int(meta["throughput.sentences"])
    w(f"## Classification throughput ({count(n)} tweets, emoji models, end to end)\n")
    w("From a text file of one tweet per line to a file of labels, including start-up and model loading: "
      "`stance-classify --model M --input-format lines FILE > out` (JSON Lines with every label's probability), "
      "`fasttext predict-prob M.bin FILE > out`, and a Python process that loads the pickled pipeline, "
      "runs `predict_proba` and writes label and probability. "
      "Speed ratio = stance sentences/s / peer sentences/s.\n")
    w("| system | seconds | sentences/s | peak MiB | stance speed ratio | stance memory ratio |")
    w("| --- | ---: | ---: | ---: | ---: | ---: |")
    st, sm = secs("classify/throughput/stance"), mib("classify/throughput/stance")
    for k, label in SYSTEMS:
        t, m = secs(f"classify/throughput/{k}"), mib(f"classify/throughput/{k}")
        speed = "" if k == "stance" else ratio(t, st)
        mem = "" if k == "stance" else ratio(sm, m)
        w(f"| {label} | {num(t, '.2f')} | {num(n / t if t else None, ',.0f')} | {num(m, '.0f')} | {speed} | {mem} |")
    w("")

    sizes = [int(x) for x in meta["scale.sizes"].split()] if meta.get("scale.sizes") else []
    w("## Scaling (stance; emoji train tweets repeated to N sentences)\n")
    w("Train on N sentences with default settings, then classify the same N sentences end to end.\n")
    w("| sentences | train s | train peak MiB | L-BFGS iterations | classify s | sentences/s | classify peak MiB |")
    w("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        t, c = secs(f"scale/train/{size}"), secs(f"scale/classify/{size}")
        w(f"| {count(size)} | {num(t, '.2f')} | {num(mib(f'scale/train/{size}'), '.0f')} | "
          f"{meta.get(f'scale.iterations.{size}', 'n/a')} | {num(c, '.2f')} | "
          f"{num(size / c if c else None, ',.0f')} | {num(mib(f'scale/classify/{size}'), '.0f')} |")
    if meta.get("scale.skipped"):
        w(f"\nSkipped with BENCH_QUICK=1: {meta['scale.skipped']} sentences.")
    w("")
    w("Threads: stance trains and classifies with all cores (its classifier works in parallel chunks); "
      "fastText is given one thread; scikit-learn's lbfgs is single-threaded apart from what numpy's BLAS does.")
    print("\n".join(out))


if __name__ == "__main__":
    main()

