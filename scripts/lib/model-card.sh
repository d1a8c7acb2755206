#!/usr/bin/env bash
# Prints the model card (Models/README.md) for Models/default.stance:
# corpus figures, chosen settings, tuning table, test-split metrics as
# stance-eval prints them, and the seed transcript labelled by the model.
# Called by scripts/train-default-model after a release build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export LC_ALL=C
corpus=Corpus/space-geopolitics
bin=.build/release
seed="$ROOT/../shared/seeds/000_c1c43dae5ad8973a.txt"

count() { cat "$@" | grep -c . || true; }
labels() { # head files...
    local head=$1; shift
    local total; total=$(count "$@")
    cat "$@" | grep -o "\"$head\": \"[a-z]*\"" | sed 's/.*: "\(.*\)"/\1/' | sort | uniq -c |
        awk -v t="$total" '{ printf "%s %d (%.1f%%), ", $2, $1, 100 * $1 / t }' | sed 's/, $//'
}

all=("$corpus"/train/*.jsonl "$corpus"/dev/*.jsonl "$corpus"/test/*.jsonl)
cat <<MD
# Model card: the default space-geopolitics model

\`Models/default.stance\` is the model \`stance-classify\` uses when no
\`--model\` is given (it is built into the executables). It labels each
sentence on three heads: stance, perspective and claim (see
[Corpus/GUIDELINES.md](../Corpus/GUIDELINES.md)). It was trained by
\`scripts/train-default-model\`; rerunning that script on the same corpus
gives a byte-identical file. Format: [docs/MODEL_FORMAT.md](../docs/MODEL_FORMAT.md).

## Corpus

\`Corpus/space-geopolitics\`: $(count "${all[@]}") sentences in $(ls "${all[@]}" | wc -l) documents written
for this project (TV news and interviews, think-tank analysis, official
statements and briefings, hearings, podcasts, op-eds, documentaries;
Sputnik to today), split by document:

| split | documents | sentences | use |
| --- | --- | --- | --- |
| train | $(ls "$corpus"/train/*.jsonl | wc -l) | $(count "$corpus"/train/*.jsonl) | choosing settings (cross-validation), fitting |
| dev | $(ls "$corpus"/dev/*.jsonl | wc -l) | $(count "$corpus"/dev/*.jsonl) | choosing settings (cross-validation), fitting |
| test | $(ls "$corpus"/test/*.jsonl | wc -l) | $(count "$corpus"/test/*.jsonl) | the scores below, once |

Labels over the whole corpus:
- stance: $(labels stance "${all[@]}")
- perspective: $(labels perspective "${all[@]}")
- claim: $(labels claim "${all[@]}")

## Settings

Chosen by \`stance-train --tune\`: 3-fold cross-validation over train + dev,
grouped by document (features by coordinate search on the mean macro-F1
of the heads, then each head's best C and class weighting), then trained
on train + dev. Scores are calibrated on out-of-fold predictions
(temperature scaling for softmax heads, Platt scaling per label for the
multi-label stance head):

\`\`\`
$("$bin"/stance-eval --model Models/default.stance --describe)
\`\`\`

What was tried (pooled out-of-fold macro-F1):

$(cat Models/tuning.md)

## Test-split metrics

As \`stance-eval --model Models/default.stance Corpus/space-geopolitics/test/*.jsonl\` prints them:

\`\`\`
$("$bin"/stance-eval --model Models/default.stance "$corpus"/test/*.jsonl)
\`\`\`

MD
cat "$ROOT/scripts/lib/model-card-notes.md"
if [ -f "$seed" ]; then
cat <<MD

## The seed transcript, labelled

The transcript the project started from (never training data), as
\`stance-classify --format table\` prints it; each label is followed by the
model's probability in percent:

\`\`\`
$("$bin"/stance-classify --format table --model Models/default.stance "$seed" | sed '1d')
\`\`\`
MD
fi
