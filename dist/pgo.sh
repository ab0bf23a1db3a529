#!/usr/bin/env bash
# Builds bale with profile-guided optimization: an instrumented build runs bale's own
# workloads from the repository (every template case and fixture rendered, the demo release
# linted, a deployment rendered, the interpolate cases, a synthetic release created and
# verified), and the final build is laid out and inlined by what those runs executed, with
# the blocks they never ran split out of each function. Rendering templates is an
# interpreter's work whose code does not fit the instruction cache
# (benches/templates/bench-results.md): the profile keeps the hot paths together.
#
#   dist/pgo.sh             target/pgo/bale, the optimized binary
#   dist/pgo.sh --bench     also target/pgo/templates-bench, the template bench built with
#                           the same profile (benches/templates/bench.sh runs it with PGO=1).
#                           Building the bench brings in the dev-dependencies' features, so
#                           target/pgo/bale is then built with them too.
#   dist/pgo.sh --target T  both builds for target T, with the RUSTFLAGS given: how
#                           `PGO=1 dist/static.sh` builds the static binary (the training
#                           runs the instrumented static binary itself)
#   dist/pgo.sh --bolt      then lays each binary out again with BOLT (`llvm-bolt`, Debian's
#                           bolt-NN package): the optimized build keeps its relocations,
#                           BOLT instruments it, the same training runs it (the bench: on
#                           the same template cases), and BOLT reorders its blocks and
#                           functions by what ran, hot code packed apart from cold. It does
#                           the splitting itself: LLVM's is left off, as BOLT does not take
#                           functions split before it. Not with --target for the static
#                           build: llvm-bolt 19 crashes on it (dist/README.md)
#
# Needs llvm-profdata of the toolchain's own LLVM: `rustup component add llvm-tools`. The
# training uses only what the repository holds (testdata/, benches/mkrelease.py), so a clean
# clone builds the same binary; each training run must end as its test expects, or the
# build stops (a profile of error paths would slow bale down). Two release builds: see
# dist/README.md for the time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/pgo
host=$(rustc -vV | sed -n 's/^host: //p')
profdata=$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata
[ -x "$profdata" ] || { echo "pgo.sh: no $profdata: rustup component add llvm-tools" >&2; exit 1; }
targets=(--bin bale)
triple=
bolt=
while [ $# -gt 0 ]; do
  case "$1" in
    --bench) targets+=(--bench templates) ;;
    --target) triple=${2:?--target needs a target triple}; targets+=(--target "$triple"); shift ;;
    --bolt) bolt=1 ;;
    *) echo "usage: $0 [--bench] [--target TRIPLE] [--bolt]" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$bolt" ]; then
  # the real path: BOLT finds its instrumentation runtime beside itself, in ../lib
  llvm_bolt=$(command -v llvm-bolt || compgen -c llvm-bolt- | grep -E '^llvm-bolt-[0-9]+$' | sort -V | tail -1 || true)
  [ -n "$llvm_bolt" ] || { echo "pgo.sh: --bolt needs llvm-bolt (apt-get install bolt-19)" >&2; exit 1; }
  llvm_bolt=$(readlink -f "$(command -v "$llvm_bolt")")
  merge_fdata=$(dirname "$llvm_bolt")/merge-fdata
  [ -x "$merge_fdata" ] || { echo "pgo.sh: no $merge_fdata beside $llvm_bolt" >&2; exit 1; }
  strip_tool=$(dirname "$profdata")/llvm-strip
  [ -x "$strip_tool" ] || { echo "pgo.sh: no $strip_tool: rustup component add llvm-tools" >&2; exit 1; }
fi

rm -rf "$out/train" "$out/templates-bench"
# Both builds name the same targets with the same profile, so that their functions (and the
# profile's names for them) are the same. Prints the bench's executable, if built.
build() {
  CARGO_TARGET_DIR=$out/$1 RUSTFLAGS="${RUSTFLAGS:-} $2" \
    cargo build --locked --release "${targets[@]}" --message-format=json-render-diagnostics |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "templates" \
            and "bench" in m["target"]["kind"] and m.get("executable"):
        print(m["executable"])'
}
echo "pgo.sh: instrumented build" >&2
build gen "-Cprofile-generate=$out/raw" > /dev/null
# an empty profile directory: the build's own scripts and macros ran instrumented too, and
# only bale's runs count
rm -rf "$out/raw"
mkdir "$out/raw"
bale=$out/gen/${triple:+$triple/}release/bale
export LLVM_PROFILE_FILE=$out/raw/bale-%m.profraw

train=$out/train
now=--now=2026-01-01T00:00:00Z
fail() { echo "pgo.sh: training: $*" >&2; exit 1; }
# The training: bale's own workloads, run by the binary $1 (instrumented, for a profile)
train() {
  local bale=$1 c got line args
  mkdir -p "$train"
  # templates: every case and fixture, as `bale render` renders one job; some cases fail on
  # purpose, and each must exit as its test expects
  for c in testdata/templates/fixtures/* testdata/templates/cases/*; do
    [ -f "$c/expected/exit_code" ] || continue
    got=0
    "$bale" render --job-dir "$c/job" --context "$c/context.json" --out "$train/r" "$now" \
      > /dev/null 2>&1 || got=$?
    [ "$got" = "$(cat "$c/expected/exit_code")" ] || fail "$c: exit $got"
    rm -rf "$train/r"
  done
  "$bale" lint-templates testdata/demo-release "$now" > /dev/null
  "$bale" render-deployment testdata/deployment/shop.yml --release testdata/deployment/shop-release \
    -v greeting=hi --out "$train/d" "$now" > /dev/null
  # interpolate: each case as tests/cli/interpolate.rs runs it, in a copy of its inputs
  cp -r testdata/interpolate/inputs "$train/inputs"
  while IFS= read -r line; do
    case "$line" in "" | "#"*) continue ;; esac
    IFS=$'\t' read -r -a args <<< "$line"
    got=0
    (cd "$train/inputs" && env -i PATH=/usr/bin:/bin HOME=/nonexistent IV_name=from-env \
      'IV_list=[1, 2]' ${LLVM_PROFILE_FILE:+LLVM_PROFILE_FILE="$LLVM_PROFILE_FILE"} "$bale" "${args[@]:1}" \
      < /dev/null > /dev/null 2>&1) || got=$?
    [ "$got" = "$(cat "testdata/interpolate/expected/${args[0]}.exit")" ] || fail "interpolate ${args[0]}: exit $got"
  done < testdata/interpolate/cases.txt
  # releases: create (hash and compress), then verify the tarball
  python3 benches/mkrelease.py "$train/rel" --mib 48 --packages 12 --jobs 4 > /dev/null
  HOME=$train/home "$bale" create-release --dir "$train/rel" --tarball "$train/rel.tgz" > /dev/null
  "$bale" verify "$train/rel.tgz" > /dev/null
  rm -rf "$train"
}
echo "pgo.sh: training" >&2
train "$bale"
unset LLVM_PROFILE_FILE

"$profdata" merge -o "$out/bale.profdata" "$out/raw"
echo "pgo.sh: optimized build" >&2
if [ -z "$bolt" ]; then
  # Machine function splitting moves the blocks the profile never saw out of each hot
  # function, so that the code a render runs through is denser: on a cold template round,
  # most of the gain is its (dist/README.md).
  bench=$(build use "-Cprofile-use=$out/bale.profdata -Cllvm-args=-enable-split-machine-functions")
  cp "$out/use/${triple:+$triple/}release/bale" "$out/bale"
  [ -z "$bench" ] || cp "$bench" "$out/templates-bench"
  echo "$out/bale"
  exit 0
fi

# BOLT: the symbols and relocations kept for it, stripped after it
bench=$(CARGO_PROFILE_RELEASE_STRIP=none \
  build bolt "-Cprofile-use=$out/bale.profdata -Clink-arg=-Wl,--emit-relocs")
rm -rf "$out/fdata"
mkdir "$out/fdata"
# $1 instrumented into $2, whose every run leaves its profile in $out/fdata/$3.fdata.PID.fdata
instrument() {
  "$llvm_bolt" "$1" -o "$2" -instrument --instrumentation-file="$out/fdata/$3.fdata" \
    --instrumentation-file-append-pid > "$out/fdata/$3.log" 2>&1 ||
    { cat "$out/fdata/$3.log" >&2; echo "pgo.sh: llvm-bolt could not instrument $1" >&2; exit 1; }
}
# $1 laid out by its profile $3 into $2, stripped as a release build is. The new code goes
# into the old code's place where it fits (-use-old-text; 64-byte aligned, as no huge page
# maps it): otherwise the binary keeps its old code whole beside the new, 32.5 MB instead of
# 27.7 MB (19.8 MB without BOLT).
optimize() {
  "$merge_fdata" "$out/fdata/$3".fdata.* > "$out/fdata/$3.fdata"
  "$llvm_bolt" "$1" -o "$2" -data="$out/fdata/$3.fdata" -reorder-blocks=ext-tsp \
    -reorder-functions=cdsort -split-functions -split-all-cold -split-eh -icf=1 \
    -use-gnu-stack -use-old-text -align-text=0x40 > "$out/fdata/$3.log" 2>&1 ||
    { cat "$out/fdata/$3.log" >&2; echo "pgo.sh: llvm-bolt could not optimize $1" >&2; exit 1; }
  "$strip_tool" --strip-all "$2"
}
echo "pgo.sh: BOLT training" >&2
instrument "$out/bolt/${triple:+$triple/}release/bale" "$out/fdata/bale" bale
train "$out/fdata/bale"
optimize "$out/bolt/${triple:+$triple/}release/bale" "$out/bale" bale
if [ -n "$bench" ]; then
  # the bench renders the same template cases as `bale render` does in the training
  instrument "$bench" "$out/fdata/templates-bench" templates-bench
  list=$out/fdata/templates.list
  for c in testdata/templates/fixtures/* testdata/templates/cases/*; do
    printf '%s\t%s\n' "$root/$c/job" "$root/$c/context.json"
  done > "$list"
  "$out/fdata/templates-bench" "$list" 3 > /dev/null
  optimize "$bench" "$out/templates-bench" templates-bench
fi
rm -rf "$out/fdata"
echo "$out/bale"
