#!/usr/bin/env bash
# Installs the Debian packages of the scaled setup (`make run-scaled`): PostgreSQL (tracker
# store), Redis (lock store) and nginx (one public port in front of the Rasa processes).
# Idempotent: apt-get runs only when a program is missing. Needs root (as CI) or sudo.
set -euo pipefail

missing=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Paquets manquants (${missing[*]}) : lancez ce script en root ou avec sudo." >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get introuvable : installez ${missing[*]} avec le gestionnaire de paquets du système." >&2
  exit 1
fi
echo "Installation des paquets Debian : ${missing[*]}…"
export DEBIAN_FRONTEND=noninteractive
# Packages must not start system-wide services: ours run from var/ on our own ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
trap '[ $created_policy -eq 1 ] && $SUDO rm -f "$policy"' EXIT
$SUDO apt-get update -qq >/dev/null || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Paquets installés : ${missing[*]}."
