#!/usr/bin/env bash
# Starts moto's server on a free 127.0.0.1 port in the background and prints its URL.
# The server stops by itself when the process that started this script (the caller) exits,
# or when `kill $(cat "$MOTO_PIDFILE")` is run.
#   usage: url=$(scripts/moto.sh) ; ...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=$("$root/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=${MOTO_LOG:-$root/.cache/moto-$port.log}
mkdir -p "$(dirname "$log")"
watch_pid=${MOTO_WATCH_PID:-$PPID}
(
    "$root/.venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
    server=$!
    [ -n "${MOTO_PIDFILE:-}" ] && echo "$server" >"$MOTO_PIDFILE"
    # Watchdog: stop the server when the caller is gone.
    while kill -0 "$watch_pid" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done
    kill "$server" 2>/dev/null || true
) >/dev/null 2>&1 &
for _ in $(seq 1 100); do
    if "$root/.venv/bin/python" -c "import socket,sys; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null; then
        echo "http://127.0.0.1:$port"
        exit 0
    fi
    sleep 0.1
done
echo "moto server did not start; see $log" >&2
exit 1
