#!/usr/bin/env bash
# Runs Redis in the foreground on 127.0.0.1:PORT, as Rasa's lock store (no persistence:
# the locks live a few seconds), password read from PASSWORD_FILE.
#   scripts/services/start_redis.sh DIR PORT PASSWORD_FILE
set -euo pipefail
dir=$1 port=$2 password_file=$3
redis=$(command -v redis-server || echo /usr/bin/redis-server)
if [ ! -x "$redis" ]; then
  echo "Redis est introuvable : lancez scripts/services/install.sh." >&2
  exit 1
fi
mkdir -p "$dir"
conf="$dir/redis.conf"
umask 077
# The password goes in a config file (mode 600), not on the command line.
cat > "$conf" <<CONF
bind 127.0.0.1
port $port
dir $dir
save ""
appendonly no
protected-mode yes
requirepass $(cat "$password_file")
CONF
exec "$redis" "$conf"
