#!/usr/bin/env bash
# The real `bosh` CLI against `bale blobstore serve` (HTTPS, basic auth), in three parts:
#  1. a transcript of every command the director API serves it: env, upload-release [--fix],
#     releases, inspect-release, delete-release, upload-stemcell [--fix], stemcells,
#     delete-stemcell (a small release and stemcell);
#  2. a MIB MiB release (default 512): `bosh upload-release` vs `bale upload-release` vs
#     `curl -T` of the tarball, each to a fresh server, then re-uploads and --fix; wall time,
#     and CPU time (user+sys) of the client and of the server, which a loaded machine
#     distorts less than wall time;
#  3. idle keep-alive connections holding all of --max-connections while another client
#     is served.
# usage: benches/director.sh [WORKDIR]
#   BOSH=path/to/bosh (parts 1-3 need it; skipped without), BALE=bale binary (default
#   target/debug/bale: dependencies are optimised in dev builds), MIB=512, ROUNDS=1,
#   MKRELEASE=mkrelease.py (default ../shared/tools/mkrelease.py, else benches/gen_release.py),
#   PARTS="1 2 3" (which parts to run), TOOLS="bosh bale curl" (what part 2 measures)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
BALE="${BALE:-$root/target/debug/bale}"
[ -x "$BALE" ] || (cd "$root" && cargo build --quiet)
BOSH="${BOSH:-$(command -v bosh || echo /work/ref/bin/bosh)}"
MIB="${MIB:-512}"
PARTS="${PARTS:-1 2 3}"
TOOLS="${TOOLS:-bosh bale curl}"
part() { [[ " $PARTS " == *" $1 "* ]]; }
tool() { [[ " $TOOLS " == *" $1 "* ]]; }
ROUNDS="${ROUNDS:-1}"
export HOME="$work/home" BOSH_NON_INTERACTIVE=true
mkdir -p "$HOME"
if [ ! -x "$BOSH" ]; then
  echo "no bosh CLI (set BOSH=...): nothing to compare" >&2
  exit 0
fi
tick=$(getconf CLK_TCK)
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$BOSH" --version | head -1

# A CA and a certificate for 127.0.0.1.
if [ ! -f "$work/server.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" \
    -days 2 -subj /CN=bench-ca 2> /dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$work/server.key" -out "$work/server.csr" \
    -subj /CN=127.0.0.1 2> /dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' > "$work/ext.cnf"
  openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -out "$work/server.pem" -days 2 -extfile "$work/ext.cnf" 2> /dev/null
fi

srv=""
stop() { [ -z "$srv" ] || { kill "$srv" 2> /dev/null; wait "$srv" 2> /dev/null || true; srv=""; }; }
trap stop EXIT
# serve STORE [FLAGS...]: a fresh server; sets $url and $srv.
serve() {
  stop
  local store="$1"; shift
  rm -rf "$store"
  "$BALE" blobstore serve --dir "$store" --listen 127.0.0.1:0 \
    --write-user admin:apass --read-user reader:rpass \
    --tls-cert "$work/server.pem" --tls-key "$work/server.key" --log-level warn "$@" \
    > "$work/serve.log" 2>&1 &
  srv=$!
  for _ in $(seq 200); do grep -q listening "$work/serve.log" 2> /dev/null && break; sleep 0.05; done
  url=$(grep -o 'https://[0-9.:]*' "$work/serve.log")
  boshc=("$BOSH" -e "$url" --ca-cert "$work/ca.pem" --client admin --client-secret apass -n)
  target=(--blobstore "$url" --ca-cert "$work/ca.pem" --user admin:apass)
}
bosh() { "${boshc[@]}" "$@"; }
bale_() { "$BALE" "$@" "${target[@]}"; }
server_cpu() { awk -v t="$tick" '{printf "%.2f", ($14 + $15) / t}' "/proc/$srv/stat"; }

# measure LABEL CMD...: one table row.
measure() {
  local label="$1"; shift
  local before after
  before=$(server_cpu)
  /usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" > "$work/last.log" 2>&1 \
    || { cat "$work/last.log" >&2; echo "$label failed" >&2; return 1; }
  after=$(server_cpu)
  read -r wall usr sys < "$work/time.txt"
  printf '| %-38s | %8.2f | %10.2f | %10.2f | %9.2f |\n' "$label" "$wall" \
    "$(echo "$usr + $sys" | bc)" "$(echo "$after - $before" | bc)" \
    "$(echo "$usr + $sys + $after - $before" | bc)"
}

if part 1; then
echo
echo "== 1. transcript (bosh --tty) =="
small="$work/small"
if [ ! -f "$work/small.tgz" ]; then
  python3 "$here/gen_release.py" "$small" --packages 3 --jobs 2 --mib 0.3 > /dev/null
  "$BALE" create-release --dir "$small" --force --tarball "$work/small.tgz" > /dev/null
  head -c 1000000 /dev/urandom > "$work/image"
  "$BALE" create-stemcell "$work/stemcell.tgz" --image "$work/image" \
    --name bosh-warden-boshlite-ubuntu-jammy-go_agent --version 1.406 --os ubuntu-jammy > /dev/null
fi
mf() { tar -xzOf "$1" release.MF | awk -v k="$2:" '$1==k{gsub(/["'\'']/,"",$2); print $2; exit}'; }
sname=$(mf "$work/small.tgz" name); sversion=$(mf "$work/small.tgz" version)
serve "$work/store1"
{
  for cmd in "env" "upload-release $work/small.tgz" "upload-release $work/small.tgz" \
    "upload-release $work/small.tgz --fix" "releases" "inspect-release $sname/$sversion" \
    "upload-stemcell $work/stemcell.tgz" "upload-stemcell $work/stemcell.tgz --fix" "stemcells" \
    "delete-stemcell bosh-warden-boshlite-ubuntu-jammy-go_agent/1.406" \
    "delete-release $sname/$sversion" "releases"; do
    echo "\$ bosh $cmd"
    # shellcheck disable=SC2086
    bosh --tty -n $cmd 2>&1 || true
    echo
  done
  echo "\$ bale releases (after bosh upload-release)"
  bosh -n upload-release "$work/small.tgz" > /dev/null
  bale_ releases 2>&1
  echo "\$ bosh --client reader upload-release"
  "$BOSH" -e "$url" --ca-cert "$work/ca.pem" --client reader --client-secret rpass -n \
    upload-release "$work/small.tgz" 2>&1 || true
} | sed "s#$work#WORK#g" | tee "$work/transcript.txt"
fi

if part 2; then
echo
echo "== 2. upload of a ${MIB} MiB release =="
if [ ! -f "$work/big.tgz" ]; then
  mk="${MKRELEASE:-$root/../shared/tools/mkrelease.py}"
  [ -f "$mk" ] || mk="/work/shared/tools/mkrelease.py"
  if [ -f "$mk" ]; then
    python3 "$mk" "$work/big" --mib "$MIB" > /dev/null
  else
    python3 "$here/gen_release.py" "$work/big" --mib $((MIB / 40)) > /dev/null
  fi
  "$BALE" create-release --dir "$work/big" --force --tarball "$work/big.tgz" > /dev/null
fi
printf 'tarball: %.0f MiB\n' "$(echo "$(stat -c %s "$work/big.tgz") / 1048576" | bc -l)"
echo "| what                                   | wall (s) | client cpu | server cpu | total cpu |"
echo "|----------------------------------------|----------|------------|------------|-----------|"
# A DAV object path: the prefix is the first two hex digits of the id's SHA-1.
obj=$(python3 -c 'import hashlib; i="bench-tarball"; print(hashlib.sha1(i.encode()).hexdigest()[:2] + "/" + i)')
for r in $(seq "$ROUNDS"); do
  if tool bosh; then
  serve "$work/store-bosh"
  measure "bosh upload-release (round $r)" "${boshc[@]}" upload-release "$work/big.tgz"
  measure "bosh upload-release again" "${boshc[@]}" upload-release "$work/big.tgz"
  measure "bosh upload-release --fix" "${boshc[@]}" upload-release "$work/big.tgz" --fix
  fi
  if tool bale; then
  serve "$work/store-bale"
  measure "bale upload-release (round $r)" "$BALE" upload-release "$work/big.tgz" "${target[@]}"
  measure "bale upload-release again" "$BALE" upload-release "$work/big.tgz" "${target[@]}"
  measure "bale upload-release --fix" "$BALE" upload-release "$work/big.tgz" --fix "${target[@]}"
  fi
  if tool curl; then
  serve "$work/store-curl"
  measure "curl -T tarball (round $r)" curl -sS -f --cacert "$work/ca.pem" -u admin:apass \
    -T "$work/big.tgz" "$url/$obj"
  fi
done
fi

if part 3; then
echo
echo "== 3. idle connections held against --max-connections 8 =="
serve "$work/store3" --max-connections 8
python3 - "$url" "$work/ca.pem" <<'EOF' &
import socket, ssl, sys, time
host, port = sys.argv[1].rsplit("/", 1)[1].split(":")
ctx = ssl.create_default_context(cafile=sys.argv[2])
held = []
for _ in range(8):
    s = ctx.wrap_socket(socket.create_connection((host, int(port))), server_hostname=host)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(1000)
    held.append(s)
print("8 idle keep-alive connections held", flush=True)
time.sleep(5)
EOF
holder=$!
sleep 2
measure "bosh releases with 8 idle held" "${boshc[@]}" releases
curl -sS --cacert "$work/ca.pem" "$url/metrics" | grep -E '^bale_connections_(open|evicted_total)'
wait "$holder" || true
fi
