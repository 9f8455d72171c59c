#!/usr/bin/env bash
# Cross-validated NLU report (the lead wires it as `make nlu-report`).
#
#   scripts/nlu_report.sh            # from the repository root, with .venv built
#
# Runs `rasa test nlu --cross-validation` on data/nlu with config.yml (5 folds; NLU_FOLDS
# overrides), writes rasa's reports into results/nlu/ (intent_report.json,
# DIETClassifier_report.json, response_selection_report.json, *_errors.json, confusion
# matrices, rasa_test.log) and a compact results/nlu/summary.md (scripts/nlu_summary.py).
# Costly: it trains one model per fold (about 5-10 min each on 2 shared cores).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
FOLDS="${NLU_FOLDS:-5}"
OUT="${NLU_REPORT_DIR:-results/nlu}"
RASA=.venv/bin/rasa
PYTHON=.venv/bin/python

if [[ ! -x "$RASA" ]]; then
    echo "Environnement absent (.venv/bin/rasa) : lancez d'abord scripts/setup.sh." >&2
    exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT"
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
start=$(date +%s)
echo "NLU cross-validation: ${FOLDS} folds, log in ${OUT}/rasa_test.log ..."
if ! "$RASA" test nlu --config config.yml --nlu data/nlu --cross-validation \
        --folds "$FOLDS" --out "$OUT" >"$OUT/rasa_test.log" 2>&1; then
    tail -n 30 "$OUT/rasa_test.log" >&2
    echo "rasa test nlu a échoué (voir ${OUT}/rasa_test.log)." >&2
    exit 1
fi
seconds=$(( $(date +%s) - start ))
"$PYTHON" scripts/nlu_summary.py --results "$OUT" --output "$OUT/summary.md" \
    --folds "$FOLDS" --seconds "$seconds"
