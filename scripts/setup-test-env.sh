#!/usr/bin/env bash
# Prepares what tests and the demo need, idempotently:
#   .venv/                         botocore, boto3 and moto's server (pinned in tests/requirements.txt)
#   .cache/botocore-<version>/     botocore's sdist, which carries the conformance suites
#   .cache/jmespath-compliance/    the JMESPath compliance suite, from the jmespath crate's archive
# Safe to run again: it does nothing when everything is in place. `setup-test-env.sh demo` sets
# up only what the demo needs (the venv with moto's server), not the test-only tools.
set -euo pipefail
only=${1:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
python=${PYTHON:-python3}
if [ ! -x .venv/bin/moto_server ] || ! cmp -s tests/requirements.txt .venv/.requirements 2>/dev/null; then
    echo "setup: installing botocore, boto3 and moto into .venv" >&2
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    .venv/bin/pip install --disable-pip-version-check -q -r tests/requirements.txt
    cp tests/requirements.txt .venv/.requirements
fi
if [ "$only" = demo ]; then
    exit 0
fi
# s3s-fs: a second, independent S3 server that verifies SigV4 (moto does not). Built once into
# a folder outside the clone; the version is the newest that builds on this toolchain.
tools=${BOTO_TOOLS_DIR:-$HOME/.cache/boto-rs/tools}
if [ ! -x "$tools/bin/s3s-fs" ]; then
    echo "setup: building s3s-fs 0.14.1 into $tools (once)" >&2
    cargo install --quiet --locked --features binary --root "$tools" s3s-fs@0.14.1
fi
version=$(sed -n 's/^botocore==//p' tests/requirements.txt)
sdist=".cache/botocore-$version"
if [ ! -d "$sdist/tests/unit/auth/aws4_testsuite" ]; then
    echo "setup: fetching botocore $version sdist (conformance suites)" >&2
    mkdir -p .cache/download
    .venv/bin/pip download --disable-pip-version-check -q --no-binary :all: --no-deps \
        "botocore==$version" -d .cache/download
    tar -xzf ".cache/download/botocore-$version.tar.gz" -C .cache
fi
# The JMESPath compliance suite (crates/boto-core/tests/jmespath_suite.rs): the case files the
# jmespath crate publishes, taken from its crates.io archive once.
jmespath_suite=.cache/jmespath-compliance
if [ ! -f "$jmespath_suite/basic.json" ]; then
    echo "setup: fetching the JMESPath compliance suite (jmespath 0.5.0 crate)" >&2
    mkdir -p .cache/download "$jmespath_suite"
    crate=.cache/download/jmespath-0.5.0.crate
    if [ ! -s "$crate" ]; then
        curl -sSfL -o "$crate.part" https://static.crates.io/crates/jmespath/jmespath-0.5.0.crate
        mv "$crate.part" "$crate"
    fi
    tar -xzf "$crate" -C "$jmespath_suite" --strip-components=3 jmespath-0.5.0/tests/compliance
fi
# aws-cli, the reference of crates/boto-cli/tests/differential.rs: its own venv outside the
# clone (its botocore pin must not disturb .venv's), made once and reused.
awscli_version=1.46.2
awscli_venv=${BOTO_AWSCLI_VENV:-$HOME/.cache/boto-rs/awscli-venv}
if [ "$("$awscli_venv/bin/aws" --version 2>&1 | sed -n 's|^aws-cli/\([^ ]*\).*|\1|p')" != "$awscli_version" ]; then
    echo "setup: installing awscli $awscli_version into $awscli_venv (once)" >&2
    [ -x "$awscli_venv/bin/python" ] || "$python" -m venv "$awscli_venv"
    "$awscli_venv/bin/pip" install --disable-pip-version-check -q "awscli==$awscli_version"
fi
