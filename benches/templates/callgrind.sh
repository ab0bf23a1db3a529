#!/bin/sh
# Instructions of one cold and one warm round of benches/templates, counted by callgrind:
# a figure that other load on the machine does not move, for comparing two builds.
#
#   benches/templates/callgrind.sh BENCH_BINARY LIST
#
# BENCH_BINARY is a built `templates` bench with its symbols kept (release builds strip them,
# and the rounds are found by the function's name), e.g.
#   CARGO_PROFILE_BENCH_STRIP=none CARGO_PROFILE_BENCH_DEBUG=line-tables-only \
#     cargo bench --no-run --bench templates
# then target/release/deps/templates-*; LIST is its list of (job dir, context) pairs, as
# bench.sh writes them. Prints `cold N warm N` (the second cold round, the first timed warm
# round).
#
# CACHE=1 also simulates the caches (several times slower) and prints each round's misses:
# instruction and data reads and data writes missing the first-level caches, and what
# misses the last level. Instructions alone do not show a working set that outgrows the
# caches: with the kernel's file reading between jobs, most of a round's blocks are cold.
set -eu
bin=$(readlink -f "$1")
list=${2:?usage: callgrind.sh BENCH_BINARY LIST}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# a dump before every round: 1 setup, 2-3 cold, 4 the warm-up round, 5 the first warm one
sim=--cache-sim=no
[ "${CACHE:-0}" = 1 ] && sim=--cache-sim=yes
valgrind --tool=callgrind "$sim" --dump-before='templates::round' \
  --callgrind-out-file="$dir/cg" "$bin" "$list" 2 >/dev/null 2>&1
[ -e "$dir/cg.5" ] || { echo "callgrind.sh: no rounds found: build the bench with its symbols (see above)" >&2; exit 1; }
cold=$(grep '^summary' "$dir/cg.3" | cut -d' ' -f2)
warm=$(grep '^summary' "$dir/cg.5" | cut -d' ' -f2)
echo "cold $cold warm $warm"
if [ "$sim" = --cache-sim=yes ]; then
  # events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw
  for r in 3 5; do
    grep '^summary' "$dir/cg.$r" | awk -v r="$r" '{
      printf "%s misses: I1 %d, D1 read %d, D1 write %d, last level %d\n",
        (r == 3 ? "cold" : "warm"), $5, $6, $7, $8 + $9 + $10 }'
  done
fi
