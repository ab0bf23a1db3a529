#!/usr/bin/env bash
# Template rendering: bale vs the Ruby reference renderer, each in one process, on the same
# jobs and contexts: the fixture cases, bale's own cases, and any release directories given.
#
#   benches/templates/bench.sh ERB_ORACLE_RB [RELEASE_DIR...]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
oracle=$(realpath "$1"); shift
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$here"
cargo build --release --quiet
list=$work/list
for c in testdata/templates/fixtures/* testdata/templates/cases/*; do
  printf '%s\t%s\n' "$here/$c/job" "$here/$c/context.json" >> "$list"
done
n=0
for rel in "$@"; do
  n=$((n + 1))
  target/release/bale lint-templates "$rel" --write-contexts "$work/ctx$n" > /dev/null 2>&1 || true
  for ctx in "$work/ctx$n"/*.json; do
    job=$(basename "$ctx" .json)
    printf '%s\t%s\n' "$(realpath "$rel")/jobs/$job" "$ctx" >> "$list"
  done
done
echo "jobs: $(wc -l < "$list")"
cargo bench --quiet --bench templates -- "$list" 20
ruby benches/templates/oracle_bench.rb "$oracle" "$list" 5
