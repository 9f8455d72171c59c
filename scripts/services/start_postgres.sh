#!/usr/bin/env bash
# Runs PostgreSQL in the foreground with its data in DATADIR (created on first start), on
# 127.0.0.1:PORT only, user `rasa` with the password read from PASSWORD_FILE.
#   scripts/services/start_postgres.sh DATADIR PORT PASSWORD_FILE
# PostgreSQL refuses to run as root: as root (CI), the server runs as the `postgres` user
# created by the Debian package, and DATADIR belongs to it.
set -euo pipefail
datadir=$1 port=$2 password_file=$3
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL est introuvable : lancez scripts/services/install.sh." >&2
  exit 1
fi
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

mkdir -p "$datadir"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$datadir"; fi
chmod 700 "$datadir"
if [ ! -s "$datadir/PG_VERSION" ]; then
  pwfile=$(mktemp)  # initdb reads it as the server's user; outside DATADIR (must be empty)
  cp "$password_file" "$pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pwfile"; fi
  # Local socket: trust (only the owner can reach the socket dir); TCP: password.
  "${as_owner[@]}" "$pg_bin/initdb" -D "$datadir" -U rasa --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi
exec "${as_owner[@]}" "$pg_bin/postgres" -D "$datadir" -p "$port" -k "$datadir" \
  -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB \
  -c fsync=on -c synchronous_commit=on
