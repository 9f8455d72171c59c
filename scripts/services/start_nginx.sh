#!/usr/bin/env bash
# Runs nginx in the foreground with the configuration CONF (written by runtime/scaled.py
# from deploy/nginx.conf.template); its pid, temp files and logs live next to CONF.
#   scripts/services/start_nginx.sh CONF
set -euo pipefail
conf=$1
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$nginx" ]; then
  echo "nginx est introuvable : lancez scripts/services/install.sh." >&2
  exit 1
fi
prefix=$(dirname "$(readlink -f "$conf")")
mkdir -p "$prefix/logs" "$prefix/temp"
exec "$nginx" -p "$prefix" -c "$(readlink -f "$conf")" -g "daemon off;"
