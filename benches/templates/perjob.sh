#!/usr/bin/env bash
# Each job of a bench list timed alone by both renderers, and the jobs that hold the cold
# ratio down first: those whose Ruby time is furthest short of TARGET (default 30) times
# bale's. A round's ratio is its sums' ratio, so a job's shortfall (Ruby µs − TARGET × bale
# µs) is what it takes from the round; a job far below the rest (a method call per step, a
# regexp built per match) points at one cost in the engine, not at the work of the round.
#
#   benches/templates/perjob.sh ERB_ORACLE_RB LIST [TOP]
#
# LIST as bench.sh writes it (one JOB_DIR<TAB>CONTEXT_JSON per line). Timed alone, each job
# runs with its code and data in the processor's caches, so both sums come out below a
# round's (bale's more so, its jobs being shorter): the per-job figures rank jobs, the
# round's ratio is bench.sh's. Prints: shortfall, bale cold µs, Ruby µs, ratio, job.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
oracle=$(realpath "$1")
list=$(realpath "$2")
top=${3:-25}
target=${TARGET:-30}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$here"
bench=$(cargo bench --no-run --bench templates 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p' | head -1)
[ -x "$bench" ] || { echo "perjob.sh: the template bench did not build" >&2; exit 1; }
BALE_BENCH_SLOWEST=1000000 "$bench" "$list" 5 | awk 'NF == 3 && $1 ~ /^[0-9]+$/ {print $3, $1}' | sort > "$work/bale"
(cd benches/templates && ruby oracle_perjob.rb "$oracle" "$list") | awk '{print $2, $1}' | sort > "$work/ruby"
join "$work/bale" "$work/ruby" > "$work/both"
awk '{b += $2; r += $3} END {printf "sums alone: bale %.0f µs, Ruby %.0f µs, %.1f×\n", b, r, r / b}' "$work/both"
echo "| shortfall (Ruby µs) | bale cold µs | Ruby µs | × | job |"
echo "| ---: | ---: | ---: | ---: | --- |"
awk -v t="$target" '{printf "| %.0f | %d | %d | %.1f | %s |\n", $3 - t * $2, $2, $3, $3 / ($2 > 0 ? $2 : 1), $1}' "$work/both" |
  sort -t'|' -k2 -g | head -n "$top"
