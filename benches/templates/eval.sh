#!/usr/bin/env bash
# Evaluation-heavy templates: bale vs the Ruby reference renderer on templates whose time is
# the interpreter's own (method calls, blocks, string and hash building, nested loops over
# generated data), not reading or compiling. The same measure as bench.sh (one thread, CPU
# time, the fastest round, Ruby without its startup), one job at a time.
#
#   benches/templates/eval.sh ERB_ORACLE_RB [BENCH_BINARY]
#
# BENCH_BINARY is a built `templates` bench (cargo bench --no-run --bench templates); without
# it the script builds one. Prints a markdown table: microseconds per round and the ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
oracle=$(realpath "$1")
bench=${2:-}
cd "$here"
if [ -z "$bench" ]; then
  bench=$(cargo bench --no-run --bench templates 2>&1 | sed -n 's/.*Executable .*(\(.*\))/\1/p' | tail -1)
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# one template per round: microseconds are a million over the rate
us() { sed -n "s/.*$1.* = \([0-9]*\) templates\/s.*/\1/p" | head -1 | awk '{ printf "%.0f", 1e6 / $1 }'; }
echo "| job | bale cold µs | bale warm µs | Ruby µs | cold × | warm × |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for d in benches/templates/eval/*/; do
  name=$(basename "$d")
  printf '%s\t%s\n' "$here/$d/job" "$here/$d/context.json" > "$work/list"
  b=$("$bench" "$work/list" "${BALE_ROUNDS:-20}")
  r=$(ruby benches/templates/oracle_bench.rb "$oracle" "$work/list" "${RUBY_ROUNDS:-10}")
  cold=$(us "cold" <<< "$b"); warm=$(us "warm" <<< "$b"); ruby=$(us "oracle" <<< "$r")
  printf '| %s | %s | %s | %s | %.1f | %.1f |\n' "$name" "$cold" "$warm" "$ruby" \
    "$(bc -l <<< "$ruby / $cold")" "$(bc -l <<< "$ruby / $warm")"
done
