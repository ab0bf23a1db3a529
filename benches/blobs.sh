#!/usr/bin/env bash
# Blob transfers against a real S3 server on loopback (s3s-fs): 40 blobs x 16 MiB uploaded and
# synced with --parallel 5 and --parallel 1, then a sync with nothing to do, traced to show
# that it opens no blob.
# usage: benches/blobs.sh [WORKDIR]   (needs s3s-fs: cargo install s3s-fs --version 0.14.1 --features binary)
set -euo pipefail
source "$(dirname "$0")/lib.sh" "${1:-}" ""
N="${N:-40}"; MIB="${MIB:-16}"
rm -rf "$work/s3" "$work/rel" "$work/clone"; mkdir -p "$work/s3/bench-bucket"
export HOME="$work/home"; mkdir -p "$HOME"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
s3s-fs --host 127.0.0.1 --port "$port" --access-key AKB --secret-key SKB "$work/s3" > "$work/s3s.log" 2>&1 &
srv=$!; trap 'kill $srv 2>/dev/null' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

"$BALE" init-release --dir "$work/rel" > /dev/null
cat > "$work/rel/config/final.yml" <<YML
---
name: blobbench
blobstore:
  provider: s3
  options: {bucket_name: bench-bucket, host: 127.0.0.1, port: $port, use_ssl: false, region: us-east-1}
YML
printf -- '---\nblobstore:\n  options: {access_key_id: AKB, secret_access_key: SKB}\n' > "$work/rel/config/private.yml"
for i in $(seq -w 1 "$N"); do
  head -c $((MIB << 20)) /dev/urandom > "$work/b.tmp"
  "$BALE" add-blob --dir "$work/rel" "$work/b.tmp" "bench/blob$i.bin" > /dev/null
done
echo "$N blobs x $MIB MiB against s3s-fs on 127.0.0.1:$port ($(nproc) cores)"

unrecord() { sed -i '/object_id:/d' "$work/rel/config/blobs.yml"; rm -f "$work/s3/bench-bucket/"*; }

u1=$(t "$BALE" upload-blobs --dir "$work/rel" --parallel 1); unrecord
u5=$(t "$BALE" upload-blobs --dir "$work/rel" --parallel 5)
cp -a "$work/rel" "$work/clone"; rm -rf "$work/clone/blobs"
s1=$(t "$BALE" sync-blobs --dir "$work/clone" --parallel 1); rm -rf "$work/clone/blobs"
s5=$(t "$BALE" sync-blobs --dir "$work/clone" --parallel 5)
s0=$(t "$BALE" sync-blobs --dir "$work/clone")
mb=$((N * MIB))
printf 'upload-blobs --parallel 1   %6.2f s  %7.1f MiB/s\n' "$u1" "$(echo "$mb / $u1" | bc -l)"
printf 'upload-blobs --parallel 5   %6.2f s  %7.1f MiB/s\n' "$u5" "$(echo "$mb / $u5" | bc -l)"
printf 'sync-blobs   --parallel 1   %6.2f s  %7.1f MiB/s\n' "$s1" "$(echo "$mb / $s1" | bc -l)"
printf 'sync-blobs   --parallel 5   %6.2f s  %7.1f MiB/s\n' "$s5" "$(echo "$mb / $s5" | bc -l)"
printf 'sync-blobs, nothing to do   %6.3f s\n' "$s0"
if command -v strace > /dev/null; then
  strace -f -e trace=openat -o "$work/strace.log" "$BALE" sync-blobs --dir "$work/clone" > /dev/null 2>&1
  echo "blob files opened by the no-op sync: $(grep -c 'blobs/bench/blob' "$work/strace.log" || true)"
fi
