#!/usr/bin/env bash
# Runs a built bale through the commands a release author uses, on the demo release and on
# data made here, in a scratch directory; prints one line per check (ok/FAIL) and exits
# non-zero if any failed. Meant for a shipped binary (dist/static.sh's target/dist/bale):
#
#   dist/check.sh target/dist/bale
#
# Needs bash, tar, gzip and python3; the blobstore checks talk to `bale blobstore serve`
# through bale itself. Nothing outside the scratch directory is touched; HOME points into it.
set -uo pipefail
bin="$(cd "$(dirname "${1:?usage: dist/check.sh BINARY}")" && pwd)/$(basename "$1")"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" BALE_LOG=off
mkdir -p "$HOME"
cd "$work" || exit 1

pass=0
fail=0
# check NAME CMD...: CMD must succeed; its output is kept in out/NAME.
check() {
  local name="$1"
  shift
  if "$@" > "out.$name" 2>&1; then
    printf 'ok    %s\n' "$name"
    pass=$((pass + 1))
  else
    printf 'FAIL  %s  (%s)\n' "$name" "$(tail -n 3 "out.$name" | tr '\n' ' ')"
    fail=$((fail + 1))
  fi
}
# has NAME TEXT: the output of check NAME contains TEXT.
has() { grep -q -- "$2" "out.$1"; }

b() { "$bin" "$@"; }

cp -a "$root/testdata/demo-release" demo
# The demo's final.yml names a blobstore under /tmp: keep it in the scratch directory.
sed -i "s|blobstore_path: .*|blobstore_path: $work/demo-blobstore|" demo/config/final.yml

check version b --version
check version-names-bale has version "bale"
check help b --help
check init-release b init-release --dir new
check generate-job b generate-job svc --dir new
check generate-package b generate-package lib --dir new
head -c 100000 /dev/urandom > blob.bin
check add-blob b add-blob --dir new blob.bin lib/blob.bin
check blobs-lists-it sh -c "'$bin' blobs --dir new | grep -q lib/blob.bin"
check remove-blob b remove-blob --dir new lib/blob.bin
check create-release-dry-run b --json create-release --dir demo --force --dry-run
check create-release-tarball b create-release --dir demo --force --tarball "$work/demo.tgz"
check tarball-is-gzip sh -c "gzip -t '$work/demo.tgz' && tar -tzf '$work/demo.tgz' | grep -q release.MF"
check create-release-again b create-release --dir demo --force --tarball "$work/demo2.tgz"
check inspect-local-release b inspect-local-release "$work/demo.tgz"
check verify-tarball b verify "$work/demo.tgz"
check verify-dir b verify demo
check sha1ify-release b sha1ify-release "$work/demo.tgz" "$work/demo-sha1.tgz"
check sha2ify-release b sha2ify-release "$work/demo-sha1.tgz" "$work/demo-sha2.tgz"
check finalize-release b finalize-release --dir demo --force "$work/demo.tgz"
check compile-release b compile-release demo --stemcell ubuntu-jammy/1.406 --host-rootfs --tarball "$work/compiled.tgz"
check verify-compiled b verify "$work/compiled.tgz"
check render b render --release demo --job web --out "$work/rendered"
check lint-templates b lint-templates demo
cat > manifest.yml <<'YML'
name: ((name))
instance_groups:
- name: web
  instances: 1
YML
cat > ops.yml <<'YML'
- type: replace
  path: /instance_groups/name=web/instances
  value: 3
YML
check interpolate sh -c "'$bin' interpolate manifest.yml -v name=shipped -o ops.yml | grep -q 'instances: 3'"
head -c 1000000 /dev/urandom > image
check create-stemcell b create-stemcell "$work/stemcell.tgz" --image image --name bosh-test-stemcell \
  --version 1.0 --os ubuntu-jammy
check inspect-local-stemcell b inspect-local-stemcell "$work/stemcell.tgz"
check repack-stemcell b repack-stemcell "$work/stemcell.tgz" "$work/stemcell2.tgz" --version 1.1
check verify-stemcell b verify "$work/stemcell2.tgz"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" blobstore serve --dir "$work/store" --listen "127.0.0.1:$port" --write-user w:secret \
  > serve.log 2>&1 &
server=$!
for _ in $(seq 100); do (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break; sleep 0.1; done
export BALE_BLOBSTORE="http://127.0.0.1:$port" BALE_BLOBSTORE_USER=w BALE_BLOBSTORE_PASSWORD=secret
check blobstore-serve kill -0 "$server"
check upload-release b upload-release "$work/demo.tgz"
check releases sh -c "'$bin' releases | grep -q demo"
slug=$("$bin" --json inspect-local-release "$work/demo.tgz" | python3 -c 'import json,sys; r=json.load(sys.stdin)["Tables"][0]["Rows"][0]; print(r["name"] + "/" + r["version"])')
check inspect-release sh -c "'$bin' inspect-release '$slug' | grep -q nginx"
check delete-release b delete-release "$slug"
check upload-stemcell b upload-stemcell "$work/stemcell.tgz"
check stemcells sh -c "'$bin' stemcells | grep -q bosh-test-stemcell"
for shell in bash zsh fish powershell; do
  check "completion-$shell" sh -c "'$bin' completion $shell | grep -q create-release"
done
check man sh -c "'$bin' man | grep -q 'create.-release'"
check man-dir b man "$work/man"
check reset-release b reset-release --dir demo

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
