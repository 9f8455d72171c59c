#!/usr/bin/env bash
# What the summary (issue 14) needs from Debian on a fresh machine: Pango for WeasyPrint's PDF
# rendering, poppler-utils (pdftoppm) to render a PDF page to PNG in the tests, DejaVu fonts.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Paquets Debian absents : ${missing[*]} (sudo apt-get install ${missing[*]})." >&2
    exit 1
  fi
  echo "Installation des paquets Debian du récapitulatif : ${missing[*]}…"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
      >"$log" 2>&1; then
    cat "$log" >&2
    echo "L'installation a échoué (voir ci-dessus)." >&2
    exit 1
  fi
  rm -f "$log"
fi
