#!/usr/bin/env bash
# bale blobstore serve on loopback with a ~512 MiB synthetic release tarball (gen_release.py,
# 40 packages x 20 MiB of source):
#  - curl -T of the tarball to the server (the transport limit) vs bale upload-release
#    (verifies every digest and fingerprint while it streams), ROUNDS rounds each;
#  - a re-upload of the same release (nothing to send);
#  - GET throughput of one package object with 16 concurrent clients (benches/get_load.rs).
# usage: benches/registry.sh [WORKDIR]
set -euo pipefail
source "$(dirname "$0")/lib.sh" "${1:-}" ""
ROUNDS="${ROUNDS:-3}"
orig_home="$HOME"; export HOME="$work/home"; mkdir -p "$HOME"
if [ ! -f "$work/release.tgz" ]; then
  rm -rf "$work/rel"
  python3 "$here/gen_release.py" "$work/rel" --mib "${MIB:-20}" > /dev/null
  "$BALE" create-release --dir "$work/rel" --force --tarball "$work/release.tgz" > /dev/null
fi
size=$(stat -c %s "$work/release.tgz")
mib=$(echo "$size / 1048576" | bc -l)

rm -rf "$work/store"
"$BALE" blobstore serve --dir "$work/store" --listen 127.0.0.1:0 --write-user ci:pw > "$work/serve.log" 2>&1 &
srv=$!; trap 'kill $srv 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q listening "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/serve.log")
export BALE_BLOBSTORE="$url" BALE_BLOBSTORE_USER=ci BALE_BLOBSTORE_PASSWORD=pw
mf() { tar -xzOf "$work/release.tgz" release.MF | awk -v k="$1:" '$1==k{gsub(/["'\'']/,"",$2); print $2; exit}'; }
name=$(mf name); version=$(mf version)
printf 'release tarball %.0f MiB, server %s, %s cores\n' "$mib" "$url" "$(nproc)"

obj=$(python3 -c 'import hashlib; i="bench-tarball"; print(hashlib.sha1(i.encode()).hexdigest()[:2] + "/" + i)')
for r in $(seq "$ROUNDS"); do
  c=$(t curl -sS -f -u ci:pw -T "$work/release.tgz" "$url/$obj")
  curl -sS -f -u ci:pw -X DELETE "$url/$obj"
  "$BALE" delete-release "$name" > /dev/null 2>&1 || true
  b=$(t "$BALE" upload-release "$work/release.tgz")
  printf 'round %d: curl -T %6.2f s %7.1f MiB/s | bale upload-release %6.2f s %7.1f MiB/s | ratio %.2f\n' \
    "$r" "$c" "$(echo "$mib / $c" | bc -l)" "$b" "$(echo "$mib / $b" | bc -l)" "$(echo "$c / $b" | bc -l)"
done
again=$(t "$BALE" upload-release "$work/release.tgz")
printf 're-upload (already registered): %.3f s, %.0fx faster than the last upload\n' "$again" "$(echo "$b / $again" | bc -l)"
fresh=$(t "$BALE" upload-release "$work/release.tgz" --fix)
printf 'upload --fix (re-verify, re-send everything): %.2f s\n' "$fresh"
pkg=$("$BALE" inspect-release "$name/$version" --json \
  | python3 -c 'import json,sys,hashlib; r=json.load(sys.stdin); p=max(r["packages"], key=lambda p: p["name"]); i=p["object"]; print(hashlib.sha1(i.encode()).hexdigest()[:2]+"/"+i)')
(cd "$root" && HOME="$orig_home" URL="$url/$pkg" AUTH=ci:pw CLIENTS="${CLIENTS:-16}" DURATION="${DURATION:-10}" cargo bench --quiet --bench get_load 2>/dev/null | grep clients)
