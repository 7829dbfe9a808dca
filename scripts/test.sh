#!/usr/bin/env bash
# Runs every test file (src/**/x.test.ts beside its source, test/**/*.test.ts end to end) with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find src test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=2 "${files[@]}"
