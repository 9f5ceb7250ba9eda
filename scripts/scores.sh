#!/usr/bin/env bash
# Scores of a ttyscribe binary in every shape: the nine of ../shared/corpus-dev and the three
# stored in corpus/sessions, one line each (../shared/tools/score.py). Usage:
#   scripts/scores.sh [BINARY]     (default target/release/ttyscribe)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/ttyscribe}
score() {
  python3 ../shared/tools/score.py --parser "$bin --format jsonl {input}" --corpus "$1" --shape "$2" |
    grep -E "^\[$2\]" | sed "s|^|$1 |"
}
for s in raw s3 s3var cloudwatch cwraw gle sub export plain; do score ../shared/corpus-dev "$s"; done
for s in raw s3 cloudwatch; do score corpus/sessions "$s"; done
