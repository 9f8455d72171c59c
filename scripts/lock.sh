#!/usr/bin/env bash
# Rebuilds requirements.lock from requirements.in (exact versions, pip freeze).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source <(sed -n '/^find_python310()/,/^}/p' scripts/setup.sh)
PY=$(find_python310) || { echo "Python 3.10 introuvable." >&2; exit 1; }
"$PY" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet -r requirements.in
"$tmp/venv/bin/pip" check
"$tmp/venv/bin/pip" freeze --exclude-editable > requirements.lock
echo "requirements.lock reconstruit ($(wc -l < requirements.lock) paquets)."
