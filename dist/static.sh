#!/usr/bin/env bash
# Builds a statically linked bale for Linux x86_64 and stages it for the container image.
#
#   dist/static.sh          static glibc (default): glibc's allocator keeps the parallel
#                           hashing and compression fast; needs only gcc (aws-lc-sys and
#                           liblzma compile C) and the glibc static libraries (libc6-dev)
#   dist/static.sh musl     musl: `rustup target add x86_64-unknown-linux-musl` and musl-gcc
#                           (Debian/Ubuntu: musl-tools)
#   PGO=1 dist/static.sh    either, profile-guided through dist/pgo.sh (two builds; needs
#                           `rustup component add llvm-tools`)
#
# Output: target/dist/bale (the binary) and target/dist/rootfs/ (what dist/Dockerfile puts in
# its image: the binary, the CA certificates HTTPS needs, an empty /tmp).
# Uses the `release` profile (no debug info; see dist/README.md for build time and size); the
# staged binary is stripped of its symbol table too (27.9 MB -> 22.7 MB; a panic still names
# its file and line). BALE_COMMIT=<commit> names the commit when building without .git.
set -euo pipefail
cd "$(dirname "$0")/.."

libc="${1:-gnu}"
case "$libc" in
  gnu)
    target=x86_64-unknown-linux-gnu
    # With an explicit --target, RUSTFLAGS reach only the target's crates, not build scripts
    # or proc macros (which must stay dynamic).
    export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static"
    ;;
  musl)
    target=x86_64-unknown-linux-musl
    command -v musl-gcc >/dev/null || { echo "musl-gcc missing (apt-get install musl-tools)" >&2; exit 1; }
    export CC_x86_64_unknown_linux_musl="${CC_x86_64_unknown_linux_musl:-musl-gcc}"
    ;;
  *)
    echo "usage: $0 [gnu|musl]" >&2
    exit 2
    ;;
esac

if [ "${PGO:-0}" = 1 ]; then
  # profile-guided (dist/pgo.sh): trained on the instrumented static binary itself
  dist/pgo.sh --target "$target" > /dev/null
  bin=target/pgo/bale
else
  cargo build --locked --release --target "$target"
  bin="target/$target/release/bale"
fi

# Refuse to stage a binary that still needs a dynamic loader.
if readelf -l "$bin" | grep -q "Requesting program interpreter"; then
  echo "$bin is dynamically linked" >&2
  exit 1
fi

rm -rf target/dist
mkdir -p target/dist/rootfs/bin target/dist/rootfs/tmp target/dist/rootfs/root target/dist/rootfs/etc/ssl/certs
strip -o target/dist/bale "$bin"
cp target/dist/bale target/dist/rootfs/bin/bale
chmod 1777 target/dist/rootfs/tmp
ca=""
for f in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/cert.pem; do
  if [ -f "$f" ]; then ca="$f"; break; fi
done
if [ -n "$ca" ]; then
  cp "$ca" target/dist/rootfs/etc/ssl/certs/ca-certificates.crt
else
  echo "warning: no CA bundle found; the image will not trust any HTTPS server" >&2
fi
ls -l target/dist/bale
target/dist/bale --version
