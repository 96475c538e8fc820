#!/usr/bin/env bash
# The seed tour against a local moto server that this script starts and stops.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/setup-test-env.sh demo
export SERVER_PIDFILE="$root/.cache/demo-moto.pid"
url=$(SERVER_WATCH_PID=$$ ./scripts/server.sh moto)
trap 'kill "$(cat "$SERVER_PIDFILE" 2>/dev/null)" 2>/dev/null || true' EXIT
echo "moto server at $url" >&2
export AWS_ENDPOINT_URL="$url" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1
# Keep the demo away from any real ~/.aws settings.
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_REGION || true
cargo run --quiet -p boto --example seed_tour
