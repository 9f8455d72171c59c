#!/usr/bin/env bash
# Prepares what the web-chat end-to-end test needs on a fresh Debian machine:
#  - Debian's `chromium` package (driven by Playwright through executable_path; Playwright's
#    own browser download is not used because only the Debian/PyPI/npm registries are reachable);
#  - web/node_modules from web/package-lock.json (`npm ci`), then the widget bundle in web/dist/.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium est absent ($CHROMIUM) : installez le paquet Debian « chromium » (sudo apt-get install chromium)." >&2
    exit 1
  fi
  echo "Installation de Chromium (paquet Debian)…"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
        chromium fonts-dejavu-core; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "L'installation de Chromium a échoué (voir ci-dessus)." >&2
    exit 1
  fi
  rm -f "$log"
fi

# npm ci again only when the lock file changed since the last install.
STAMP=web/node_modules/.lock-sha256
want=$(sha256sum web/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm est introuvable : installez Node.js (paquet Debian « npm »)." >&2
    exit 1
  fi
  echo "Installation du widget de chat (npm ci)…"
  (cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" > "$STAMP"
fi

# Copy the widget bundle into web/dist/ (cheap; keeps dist in step with node_modules).
node web/build.js
