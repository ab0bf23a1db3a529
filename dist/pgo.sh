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
while [ $# -gt 0 ]; do
  case "$1" in
    --bench) targets+=(--bench templates) ;;
    --target) triple=${2:?--target needs a target triple}; targets+=(--target "$triple"); shift ;;
    *) echo "usage: $0 [--bench] [--target TRIPLE]" >&2; exit 2 ;;
  esac
  shift
done

rm -rf "$out/train" "$out/templates-bench"
mkdir -p "$out/train"
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

echo "pgo.sh: training" >&2
train=$out/train
now=--now=2026-01-01T00:00:00Z
fail() { echo "pgo.sh: training: $*" >&2; exit 1; }
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
    'IV_list=[1, 2]' LLVM_PROFILE_FILE="$LLVM_PROFILE_FILE" "$bale" "${args[@]:1}" \
    < /dev/null > /dev/null 2>&1) || got=$?
  [ "$got" = "$(cat "testdata/interpolate/expected/${args[0]}.exit")" ] || fail "interpolate ${args[0]}: exit $got"
done < testdata/interpolate/cases.txt
# releases: create (hash and compress), then verify the tarball
python3 benches/mkrelease.py "$train/rel" --mib 48 --packages 12 --jobs 4 > /dev/null
HOME=$train/home "$bale" create-release --dir "$train/rel" --tarball "$train/rel.tgz" > /dev/null
"$bale" verify "$train/rel.tgz" > /dev/null
unset LLVM_PROFILE_FILE

"$profdata" merge -o "$out/bale.profdata" "$out/raw"
echo "pgo.sh: optimized build" >&2
# Machine function splitting moves the blocks the profile never saw out of each hot function,
# so that the code a render runs through is denser: on a cold template round, most of the
# gain is its (dist/README.md).
bench=$(build use "-Cprofile-use=$out/bale.profdata -Cllvm-args=-enable-split-machine-functions")
cp "$out/use/${triple:+$triple/}release/bale" "$out/bale"
if [ -n "$bench" ]; then
  cp "$bench" "$out/templates-bench"
fi
rm -rf "$train"
echo "$out/bale"
