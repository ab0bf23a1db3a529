#!/usr/bin/env bash
# Times bale create-release on a synthetic release (>= 512 MiB, 40 packages, 10 jobs) against
# `tar -czf` of the same files, in one run on one machine:
#   1. tar -czf of the release's files (the yardstick)
#   2. bale create-release --tarball, fresh (empty archive cache and digest cache)
#   3. bale create-release --tarball again, nothing changed
#   4. bale create-release without --tarball, nothing changed
#   5. as 2, with --compression-level 6 (gzip's default, what tar -czf uses)
# usage: benches/create_release.sh [WORKDIR]   (BALE=path/to/bale to use another binary)
set -euo pipefail
source "$(dirname "$0")/lib.sh" "${1:-}" ""

rel="$work/release"
if [ ! -f "$rel/config/final.yml" ]; then
  echo "generating synthetic release in $rel ..."
  python3 "$here/gen_release.py" "$rel"
fi
export HOME="$work/home"; rm -rf "$HOME"; mkdir -p "$HOME"
rm -rf "$rel/.dev_builds" "$rel/dev_releases" "$work"/*.tgz
size=$(du -sb "$rel/src" "$rel/blobs" "$rel/jobs" "$rel/packages" | awk '{s+=$1} END {print s}')
echo "release: $(ls "$rel/packages" | wc -l) packages, $(ls "$rel/jobs" | wc -l) jobs, $((size / 1048576)) MiB; $(nproc) cores"


sync; tar_s=$(t tar -czf "$work/yardstick.tgz" -C "$rel" src blobs jobs packages)
fresh=$(t "$BALE" create-release --dir "$rel" --force --tarball "$work/fresh.tgz")
again=$(t "$BALE" create-release --dir "$rel" --force --tarball "$work/again.tgz")
notar=$(t "$BALE" create-release --dir "$rel" --force)
rm -rf "$HOME/.bosh" "$rel/.dev_builds" "$rel/dev_releases"
fresh6=$(t "$BALE" create-release --dir "$rel" --force --compression-level 6 --tarball "$work/fresh6.tgz")

printf '%-48s %8.2f s  (%s MiB)\n' "tar -czf (yardstick)" "$tar_s" "$(( $(stat -c %s "$work/yardstick.tgz") / 1048576 ))"
printf '%-48s %8.2f s  (%s MiB)  %.3f x tar\n' "bale create-release --tarball, fresh" "$fresh" "$(( $(stat -c %s "$work/fresh.tgz") / 1048576 ))" "$(echo "$fresh / $tar_s" | bc -l)"
printf '%-48s %8.2f s  (%s MiB)  %.3f x tar\n' "bale create-release --tarball, fresh, level 6" "$fresh6" "$(( $(stat -c %s "$work/fresh6.tgz") / 1048576 ))" "$(echo "$fresh6 / $tar_s" | bc -l)"
printf '%-48s %8.2f s  %.3f x tar\n' "bale create-release --tarball, nothing changed" "$again" "$(echo "$again / $tar_s" | bc -l)"
printf '%-48s %8.3f s\n' "bale create-release, nothing changed, no tarball" "$notar"
