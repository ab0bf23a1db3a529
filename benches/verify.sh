#!/usr/bin/env bash
# Times `bale verify` on the synthetic release tarball against `gunzip -c | sha256sum` of the
# same file (reading and hashing it once: the yardstick), in one run, several rounds.
# usage: benches/verify.sh [WORKDIR]   (the tarball is made by benches/create_release.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${1:-/tmp/bale-bench}"
BALE="${BALE:-$root/target/release/bale}"
[ -x "$BALE" ] || (cd "$root" && cargo build --release --quiet)
tgz="$work/fresh.tgz"
[ -f "$tgz" ] || "$here/create_release.sh" "$work" > /dev/null
echo "tarball: $tgz ($(( $(stat -c %s "$tgz") / 1048576 )) MiB)"
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
for round in 1 2 3; do
  y=$(t sh -c "gunzip -c '$tgz' | sha256sum")
  b=$(t "$BALE" verify "$tgz")
  printf 'round %d: gunzip|sha256sum %6.2f s   bale verify %6.2f s   bale speed = %.2f x yardstick\n' "$round" "$y" "$b" "$(echo "$y / $b" | bc -l)"
done
