#!/bin/sh
# Runs every fuzz target for SECONDS (default 180), all at once, each seeded from the
# repository's own release files, and prints one line per target: executions, seconds,
# crashes. Crashing inputs are left in fuzz/artifacts/<target>/.
#   sh fuzz/run.sh [SECONDS] [cargo-fuzz flags, e.g. --sanitizer none]
set -eu
secs=${1:-180}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")"
root=..
seed() { # target, files...
  t=$1; shift
  mkdir -p "corpus/$t"
  for f in "$@"; do cp "$f" "corpus/$t/seed-$(cksum <"$f" | cut -d' ' -f1)"; done
}
seed manifests $(find $root/testdata -name release.MF -o -name stemcell.MF -o -path '*packages/*/spec' | head -40)
seed specs $(find $root/testdata -path '*jobs/*/spec' -o -path '*packages/*/spec' -o -name blobs.yml -o -name index.yml | head -60)
seed names $(find $root/testdata -path '*jobs/*/spec' -o -name blobs.yml | head -30)
mkdir -p corpus/tar_reader
RUSTC_BOOTSTRAP=1 cargo fuzz build "$@"
for t in names manifests specs tar_reader; do
  mkdir -p "artifacts/$t"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$@" "$t" -- -max_total_time="$secs" -print_final_stats=1 \
    >"artifacts/$t.log" 2>&1 &
done
wait || true
for t in names manifests specs tar_reader; do
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "artifacts/$t.log" | grep -o '[0-9]*$' || echo '?')
  crashes=$(ls "artifacts/$t" | grep -c -e '^crash-' -e '^oom-' -e '^timeout-' || true)
  echo "$t: $runs executions in ${secs}s, $crashes crashing inputs"
done
