#!/usr/bin/env bash
# Template rendering: bale vs the Ruby reference renderer, on the same jobs and contexts, with
# the same work counted on both sides (see the headers of benches/templates.rs and
# oracle_bench.rb): per round, every job read from disk, its properties bound, every template
# compiled and rendered; one thread each; CPU time (user + sys) of the process, without Ruby's
# interpreter startup; the fastest of ROUNDS rounds (other load only adds CPU time). bale cold
# empties its compiled-program and regexp caches before each round; warm keeps them. The
# reference renderer has no such cache.
#
#   benches/templates/bench.sh ERB_ORACLE_RB [RELEASE_DIR...]
#
# Sets: the fixture and bale's own cases (testdata/templates), then each RELEASE_DIR (every
# job under the contexts `bale lint-templates --write-contexts` writes), then all of them
# together. Prints a markdown table (templates/s, ratios) and the machine's load.
# ROUNDS (default 10 for bale, 5 for Ruby) sets the rounds: BALE_ROUNDS=, RUBY_ROUNDS=; PAIRS
# (default 3) how many times each side runs, in turn: rates are medians, and the ratios the
# median of the pairs' ratios, with their range in brackets.
# PGO=1 also builds the bench as dist/pgo.sh builds target/pgo/bale (profile-guided, trained on
# the repository's own workloads: the testdata set's jobs among them, none of the release
# sets) and runs it in each pair beside the plain build: two more columns. BOLT=1 builds it
# with `dist/pgo.sh --bolt` (profile-guided, then laid out again by BOLT).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
oracle=$(realpath "$1"); shift
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$here"
cargo build --release --quiet
cargo bench --no-run --quiet --bench templates 2> /dev/null
pgo=
built=PGO
bolt=()
if [ "${BOLT:-0}" = 1 ]; then
  PGO=1
  built=PGO+BOLT
  bolt=(--bolt)
fi
if [ "${PGO:-0}" = 1 ]; then
  dist/pgo.sh --bench "${bolt[@]}" > /dev/null
  pgo=target/pgo/templates-bench
  [ -x "$pgo" ] || { echo "bench.sh: dist/pgo.sh built no $pgo" >&2; exit 1; }
fi
sets=()
list=$work/testdata
for c in testdata/templates/fixtures/* testdata/templates/cases/*; do
  printf '%s\t%s\n' "$here/$c/job" "$here/$c/context.json" >> "$list"
done
sets+=("testdata")
n=0
for rel in "$@"; do
  n=$((n + 1))
  name=$(basename "$(realpath "$rel")")
  target/release/bale lint-templates "$rel" --write-contexts "$work/ctx$n" > /dev/null 2>&1 || true
  for ctx in "$work/ctx$n"/*.json; do
    job=$(basename "$ctx" .json)
    printf '%s\t%s\n' "$(realpath "$rel")/jobs/$job" "$ctx" >> "$work/$name"
  done
  sets+=("$name")
done
if [ "${#sets[@]}" -gt 1 ]; then
  for s in "${sets[@]}"; do cat "$work/$s"; done > "$work/all"
  sets+=("all")
fi
rate() { sed -n "s/.* = \([0-9]*\) templates\/s.*/\1/p" | sed -n "${1}p"; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo
if [ -n "$pgo" ]; then
  echo "| set | jobs | templates | bale cold t/s | bale warm t/s | Ruby t/s | cold × | warm × | $built cold × | $built warm × |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
else
  echo "| set | jobs | templates | bale cold t/s | bale warm t/s | Ruby t/s | cold × | warm × |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
fi
# The median of PAIRS (default 3) runs of each side, in turn (bale, Ruby, bale, ...), and the
# median of the pairs' ratios with their range: this machine's speed drifts by a third within
# minutes, and a ratio taken within a pair moves far less than either side's figure.
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
range() { sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.1f–%.1f", lo, hi}'; }
for s in "${sets[@]}"; do
  jobs=$(wc -l < "$work/$s")
  : > "$work/pairs"
  for _ in $(seq "${PAIRS:-3}"); do
    b=$(cargo bench --quiet --bench templates -- "$work/$s" "${BALE_ROUNDS:-10}")
    r=$(ruby benches/templates/oracle_bench.rb "$oracle" "$work/$s" "${RUBY_ROUNDS:-5}")
    templates=$(sed -n 's/^bale: [0-9]* jobs, \([0-9]*\) templates.*/\1/p' <<< "$b")
    rt=$(sed -n 's/^oracle: [0-9]* jobs, \([0-9]*\) templates.*/\1/p' <<< "$r")
    [ "$templates" = "$rt" ] || echo "warning: $s: bale counted $templates templates, Ruby $rt" >&2
    cold=$(rate 1 <<< "$b"); warm=$(rate 2 <<< "$b"); ruby=$(rate 1 <<< "$r")
    row="$cold $warm $ruby $(bc -l <<< "$cold / $ruby") $(bc -l <<< "$warm / $ruby")"
    if [ -n "$pgo" ]; then
      p=$("$pgo" "$work/$s" "${BALE_ROUNDS:-10}")
      row="$row $(bc -l <<< "$(rate 1 <<< "$p") / $ruby") $(bc -l <<< "$(rate 2 <<< "$p") / $ruby")"
    fi
    echo "$row" >> "$work/pairs"
  done
  col() { cut -d' ' -f"$1" "$work/pairs"; }
  printf '| %s | %s | %s | %s | %s | %s | %.1f (%s) | %.1f (%s) |' "$s" "$jobs" "$templates" \
    "$(col 1 | median)" "$(col 2 | median)" "$(col 3 | median)" \
    "$(col 4 | median)" "$(col 4 | range)" "$(col 5 | median)" "$(col 5 | range)"
  [ -z "$pgo" ] || printf ' %.1f (%s) | %.1f (%s) |' \
    "$(col 6 | median)" "$(col 6 | range)" "$(col 7 | median)" "$(col 7 | range)"
  echo
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$(ruby -v)"
