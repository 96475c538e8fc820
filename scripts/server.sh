#!/usr/bin/env bash
# Starts a local test server on a free 127.0.0.1 port in the background and prints its URL:
#   scripts/server.sh moto    moto's server (S3, SQS, STS, ...), from .venv
#   scripts/server.sh s3s     s3s-fs, an S3 server over a temporary folder that checks SigV4
#                             (access key boto-test, secret boto-test-secret)
# The server stops by itself when the process that started this script exits (or the process
# MOTO_WATCH_PID / SERVER_WATCH_PID names), or with `kill $(cat "$SERVER_PIDFILE")`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:?usage: scripts/server.sh moto|s3s}
tools=${BOTO_TOOLS_DIR:-$HOME/.cache/boto-rs/tools}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$root/.cache"
log="$root/.cache/$kind-$port.log"
watch_pid=${SERVER_WATCH_PID:-${MOTO_WATCH_PID:-$PPID}}
pidfile=${SERVER_PIDFILE:-${MOTO_PIDFILE:-}}
case "$kind" in
    moto) cmd=("$root/.venv/bin/moto_server" -H 127.0.0.1 -p "$port") ;;
    s3s)
        data=$(mktemp -d "${TMPDIR:-/tmp}/boto-s3s.XXXXXX")
        cmd=("$tools/bin/s3s-fs" --host 127.0.0.1 --port "$port" --access-key boto-test --secret-key boto-test-secret "$data")
        ;;
    *) echo "unknown server kind $kind" >&2; exit 2 ;;
esac
(
    "${cmd[@]}" >"$log" 2>&1 &
    server=$!
    [ -n "$pidfile" ] && echo "$server" >"$pidfile"
    # Watchdog: stop the server when the caller is gone.
    while kill -0 "$watch_pid" 2>/dev/null && kill -0 "$server" 2>/dev/null; do sleep 1; done
    kill "$server" 2>/dev/null || true
    [ -n "${data:-}" ] && rm -rf "$data"
) >/dev/null 2>&1 &
for _ in $(seq 1 100); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null; then
        echo "http://127.0.0.1:$port"
        exit 0
    fi
    sleep 0.1
done
echo "$kind server did not start; see $log" >&2
exit 1
