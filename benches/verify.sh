#!/usr/bin/env bash
# Times `bale verify` on the synthetic release tarball against `gunzip -c | sha256sum` of the
# same file (reading and hashing it once: the yardstick), in one run, several rounds.
# usage: benches/verify.sh [WORKDIR]   (the tarball is made by benches/create_release.sh)
set -euo pipefail
source "$(dirname "$0")/lib.sh" "${1:-}" "/tmp/bale-bench"
tgz="$work/fresh.tgz"
[ -f "$tgz" ] || "$here/create_release.sh" "$work" > /dev/null
echo "tarball: $tgz ($(( $(stat -c %s "$tgz") / 1048576 )) MiB)"
for round in 1 2 3; do
  y=$(t sh -c "gunzip -c '$tgz' | sha256sum")
  b=$(t "$BALE" verify "$tgz")
  printf 'round %d: gunzip|sha256sum %6.2f s   bale verify %6.2f s   bale speed = %.2f x yardstick\n' "$round" "$y" "$b" "$(echo "$y / $b" | bc -l)"
done
