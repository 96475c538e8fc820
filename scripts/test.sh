#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and conformance suites (SigV4, endpoint rules),
# integration tests against a real moto server on loopback, and the doc examples.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./scripts/setup-test-env.sh
cargo fmt --all -- --check
cargo xtask check-models
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p boto --features full,http2 --all-targets --quiet -- -D warnings
# `--workspace` unifies boto-cli's `boto/full` into every package: lint the default build (what a
# user's `boto = "0.1"` compiles, without the engine parts only some services turn on) on its own.
cargo clippy -p boto -p boto-core --all-targets --quiet -- -D warnings
# One moto and one s3s-fs server for the whole run; tests start their own when the URL is unset.
MOTO_URL=$(SERVER_PIDFILE="$root/.cache/test-moto.pid" SERVER_WATCH_PID=$$ ./scripts/server.sh moto)
S3S_URL=$(SERVER_PIDFILE="$root/.cache/test-s3s.pid" SERVER_WATCH_PID=$$ ./scripts/server.sh s3s)
export MOTO_URL S3S_URL
trap 'kill $(cat "$root/.cache/test-moto.pid" "$root/.cache/test-s3s.pid" "$root/.cache/smoke-moto.pid" 2>/dev/null) 2>/dev/null || true' EXIT
# BOTO_SUITE_BATCH=1: the conformance suites (one trial per case) run their ~16k cases as a few
# trials, since nextest starts a process per trial; a failure still names each failing case.
if cargo nextest --version >/dev/null 2>&1; then
    # The moto smoke suite runs on its own below: it compares reads of the shared moto server
    # through boto3 and boto-rs, which other tests writing to that server at the same time break.
    # The fault-injection suite (fault proxy, timeouts, retry quota, engine faults) runs on its
    # own too, so its count prints as one line.
    faults='binary(faults_transfer) | binary(faults_engine) | binary(timeouts) | binary(retry_quota)'
    BOTO_SUITE_BATCH=1 cargo nextest run --workspace --no-fail-fast --success-output never --failure-output final \
        -E "not binary(moto_smoke) & not ($faults)"
    cargo nextest run --workspace --no-fail-fast --success-output never --failure-output final \
        -E "$faults" 2>&1 | tee "$root/.cache/faults.log"
    grep 'tests run:' "$root/.cache/faults.log" | tail -1 |
        awk '{p=0; f=0; for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p=$(i-1); if ($i ~ /^failed/) f=$(i-1) }
              print "fault suite: " p " passed, " f " failed"}'
else
    cargo test --workspace --no-fail-fast --exclude boto
    cargo test -p boto --features full --no-fail-fast -- --skip every_no_input_read_agrees_with_boto3
fi
# The engine's unit tests in the default build too (the paths taken without endpoint discovery or
# request compression).
cargo test -q -p boto-core --lib
# With every model built in: the other services (IAM, EC2, DynamoDB, SNS, CloudFormation,
# CloudWatch, Glacier) end to end with their resources, input event streams (Bedrock
# bidirectional), and
# the endpoint suite's cases against every embedded rule set.
full=(-p boto -p boto-core --features boto/full,boto-core/full,boto/http2)
# The test binaries that need services beyond the default ones (each is `#![cfg(feature = ..)]`).
full_tests=(other_services input_event_streams resources_cloudformation resources_cloudwatch
    resources_glacier resources_ec2_tags dynamodb_lossless dynamodb_conditions dynamodb_batch_writer
    handlers_wire no_region paginators rds_auth_token request_compression)
full_filter=$(printf 'binary(%s) | ' "${full_tests[@]}")
full_filter=${full_filter% | }
if cargo nextest --version >/dev/null 2>&1; then
    BOTO_SUITE_BATCH=1 cargo nextest run "${full[@]}" "${full_tests[@]/#/--test=}" --test endpoint_rules_suite \
        -E "$full_filter | (binary(endpoint_rules_suite) & test(=endpoint-embedded))" \
        --success-output never --failure-output final
else
    cargo test "${full[@]}" "${full_tests[@]/#/--test=}"
    cargo test "${full[@]}" --test endpoint_rules_suite -- endpoint-embedded::
fi
# The smoke suite compares every read through boto3 and boto-rs: it gets a moto of its own, so
# nothing the earlier suites left on the shared server (thousands of resources) slows or breaks it.
smoke_moto=$(SERVER_PIDFILE="$root/.cache/smoke-moto.pid" SERVER_WATCH_PID=$$ ./scripts/server.sh moto)
MOTO_URL=$smoke_moto cargo test -q "${full[@]}" --test moto_smoke -- --nocapture 2>&1 | grep -E "moto smoke: [0-9]+ services|problem\(s\):|^[a-z0-9-]+ [A-Z][A-Za-z0-9]*: "
cargo test --workspace --doc --quiet
# The conformance suites print their counts; show them in the log (the endpoint suite's binary is
# the full one, so the embedded counts cover every service).
{
    cargo test -q -p boto-core --test sigv4_suite --test protocol_suite --test bad_input --test jmespath_suite -- --nocapture 2>&1
    cargo test -q "${full[@]}" --test endpoint_rules_suite -- --nocapture 2>&1
} | grep -E "suite:|bad input:|endpoint rules|protocol [a-z0-9-]+ (in|out)put:" || true
