#!/usr/bin/env bash
# Builds .venv from requirements.lock with Python 3.10 (the newest Rasa 3.6 supports).
# Idempotent: does nothing when the lock has not changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.lock-sha256"

find_python310() {
  local candidate
  for candidate in "${PYTHON310:-}" python3.10 \
      "$(command -v pyenv >/dev/null 2>&1 && echo "$(pyenv root)/versions/"3.10*/bin/python3.10)" \
      /root/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
    [ -n "$candidate" ] || continue
    for exe in $candidate; do
      if "$exe" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; then
        echo "$exe"; return 0
      fi
    done
  done
  return 1
}

want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

if ! PY=$(find_python310); then
  cat >&2 <<'MSG'
Python 3.10 est introuvable. Rasa Open Source 3.6 ne fonctionne qu'avec Python 3.8 à 3.10.
Installez Python 3.10 (par exemple « pyenv install 3.10 », ou le paquet python3.10 de votre
système), ou indiquez son chemin : PYTHON310=/chemin/vers/python3.10 make run
MSG
  exit 1
fi

echo "Installation de l'environnement Python ($PY) dans $VENV — quelques minutes la première fois…"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade "pip<25" >/dev/null 2>&1
log=$(mktemp)
if ! "$VENV/bin/python" -m pip install --quiet --no-warn-script-location -r requirements.lock >"$log" 2>&1; then
  grep -vE "^(WARNING: Location|  DEPRECATION)" "$log" >&2
  echo "L'installation des dépendances a échoué (voir ci-dessus)." >&2
  exit 1
fi
rm -f "$log"
"$VENV/bin/python" -m pip check
echo "$want" > "$STAMP"
echo "Environnement prêt."
