#!/usr/bin/env bash
# Runs every test file (src/**/x.test.ts beside its source, test/**/*.test.ts end to end) with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
# Commands run without --model use the bundled model (models/bundled, not committed): a fresh clone
# builds it first, as a user does once (a few seconds: the structured preset's priors).
[ -f models/bundled/peephole-model.json ] || node bin/peephole.js train --bundled > /dev/null
mapfile -t files < <(find src test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=2 "${files[@]}"
