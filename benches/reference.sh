#!/usr/bin/env bash
# create-release on the reference workload: the synthetic release of benches/mkrelease.py
# (512 MiB: 40 packages with dependencies, half text sources, half incompressible blobs,
# 10 jobs), timed against the bosh CLI and `tar -czf` of the same files, each on its own copy
# of the release. Every command runs RUNS times (the slow ones SLOW_RUNS times); the state it
# starts from is set up outside the timing. Prints the median wall time, the median CPU time
# (user + system) and the tarball sizes.
#
#   benches/reference.sh [WORKDIR]
#
# BALE=path/to/bale (default target/release/bale), BOSH=path/to/bosh (skipped when missing),
# MIB (512), RUNS (5), SLOW_RUNS (3). Run it on a quiet machine: wall times are only meaningful
# there; CPU times hold up under load.
set -euo pipefail
source "$(dirname "$0")/lib.sh" "${1:-}" ""
MIB="${MIB:-512}"
RUNS="${RUNS:-5}"
SLOW_RUNS="${SLOW_RUNS:-3}"
BOSH="${BOSH:-$(command -v bosh || true)}"

src="$work/reference-$MIB"
if [ ! -f "$src/config/final.yml" ]; then
  echo "generating the reference release ($MIB MiB) in $src ..."
  python3 "$here/mkrelease.py" "$src" --mib "$MIB" > /dev/null
fi
# Each tool gets its own copy (hard links: the sources are only read), so neither sees the
# other's dev builds.
for copy in bale bosh; do
  rm -rf "${src:?}-$copy"
  cp -al "$src" "$src-$copy"
done
out="$work/out"
mkdir -p "$out"

# timed LABEL RUNS SETUP CMD...: runs SETUP (untimed) then CMD, RUNS times; prints
# "LABEL|median wall|median cpu".
timed() {
  local label="$1" runs="$2" setup="$3"
  shift 3
  local walls=() cpus=() i
  for ((i = 0; i < runs; i++)); do
    eval "$setup"
    sync
    /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" > "$work/last.log" 2>&1 \
      || { cat "$work/last.log" >&2; exit 1; }
    read -r wall user sys < "$work/time.txt"
    walls+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc)")
  done
  printf '%s|%s|%s\n' "$label" "$(median "${walls[@]}")" "$(median "${cpus[@]}")"
}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

bale_fresh() { rm -rf "$work/home-bale" "$src-bale/.dev_builds" "$src-bale/dev_releases" "$out/bale.tgz"; mkdir -p "$work/home-bale"; }
bosh_fresh() { rm -rf "$work/home-bosh" "$src-bosh/.dev_builds" "$src-bosh/dev_releases" "$out/bosh.tgz"; mkdir -p "$work/home-bosh"; }

echo "release: $MIB MiB, $(ls "$src/packages" | wc -l) packages, $(ls "$src/jobs" | wc -l) jobs; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bale: $("$BALE" --version)"
rows=()
rows+=("$(timed "tar -czf" "$SLOW_RUNS" 'rm -f "$out/tar.tgz"' tar -czf "$out/tar.tgz" -C "$src" src blobs jobs packages)")
rows+=("$(HOME="$work/home-bale" timed "bale create-release --tarball, fresh" "$RUNS" bale_fresh \
  "$BALE" create-release --dir "$src-bale" --tarball "$out/bale.tgz")")
cp "$out/bale.tgz" "$out/bale-first.tgz"
bale_fresh
HOME="$work/home-bale" "$BALE" create-release --dir "$src-bale" --tarball "$out/bale.tgz" > /dev/null
cmp -s "$out/bale.tgz" "$out/bale-first.tgz" && same=yes || same=NO
rows+=("$(HOME="$work/home-bale" timed "bale create-release --tarball, nothing changed" "$RUNS" 'rm -f "$out/again.tgz"' \
  "$BALE" create-release --dir "$src-bale" --tarball "$out/again.tgz")")
rows+=("$(HOME="$work/home-bale" timed "bale create-release, nothing changed" "$RUNS" ':' \
  "$BALE" create-release --dir "$src-bale")")
if [ -n "$BOSH" ] && [ -x "$BOSH" ]; then
  rows+=("$(HOME="$work/home-bosh" timed "bosh create-release --tarball, fresh" "$SLOW_RUNS" bosh_fresh \
    "$BOSH" create-release --dir "$src-bosh" --tarball "$out/bosh.tgz")")
else
  echo "(no bosh CLI: set BOSH=path/to/bosh to compare)"
fi

size() { [ -f "$1" ] && stat -c %s "$1" || echo "-"; }
tar_wall=$(printf '%s\n' "${rows[0]}" | cut -d'|' -f2)
bosh_wall=""
for r in "${rows[@]}"; do
  case "$r" in "bosh "*) bosh_wall=$(cut -d'|' -f2 <<< "$r") ;; esac
done
printf '\n%-48s %9s %9s %8s %8s\n' "command" "wall s" "cpu s" "x tar" "x bosh"
for r in "${rows[@]}"; do
  IFS='|' read -r label wall cpu <<< "$r"
  vs_bosh="-"
  [ -n "$bosh_wall" ] && vs_bosh=$(printf '%.1f' "$(echo "$bosh_wall / $wall" | bc -l)")
  printf '%-48s %9.3f %9.2f %8.2f %8s\n' "$label" "$wall" "$cpu" "$(echo "$tar_wall / $wall" | bc -l)" "$vs_bosh"
done
printf '\n%-28s %14s\n' "tarball" "bytes"
printf '%-28s %14s\n' "tar -czf" "$(size "$out/tar.tgz")" "bale, fresh" "$(size "$out/bale.tgz")" \
  "bale, nothing changed" "$(size "$out/again.tgz")" "bosh" "$(size "$out/bosh.tgz")"
echo "bale fresh tarballs byte-identical across runs: $same"
