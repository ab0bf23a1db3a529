#!/usr/bin/env bash
# compile-release --cooperate: 1, 2 and 3 processes (each its own cache dir, as separate
# machines would have) share one S3 bucket (an s3s-fs server on loopback) and compile the
# synthetic DAG of sleeping packages of gen_dag.py. Prints:
#   - the makespan (first start to last exit) against the lower bound
#     max(critical path, total work / (processes x workers)), how many packages each
#     process compiled (their sum is N when each package is compiled once), CPU time;
#   - lease overhead per package: the same release with packaging scripts that do nothing,
#     one process, one worker, with and without --cooperate;
#   - whether the server decides conditional creates atomically: 3 concurrent
#     `If-None-Match: *` PUTs of one key, 60 keys (S3 lets exactly one win; s3s-fs checks and
#     then writes, so more can, and each extra winner compiles a package twice);
#   - takeover time: a process killed while compiling, and how long after the kill another
#     process takes its package over (bounded by --lease-seconds plus one poll).
#   benches/cooperate.sh [WORKDIR]   (N=24 packages, SEED=7, WORKERS=2 per process,
#                                     LEASE=5 s for the takeover; S3S_FS=path of s3s-fs)
set -euo pipefail
source "$(dirname "$0")/lib.sh" "${1:-}" ""
N="${N:-24}"; SEED="${SEED:-7}"; WORKERS="${WORKERS:-2}"; LEASE="${LEASE:-5}"
S3S_FS="${S3S_FS:-$(command -v s3s-fs || echo /work/ref/bin/s3s-fs)}"
[ -x "$S3S_FS" ] || { echo "needs the s3s-fs server (cargo install s3s-fs --features binary); set S3S_FS" >&2; exit 1; }

rm -rf "$work/coop" && mkdir -p "$work/coop/s3"
cd "$work/coop"
export HOME="$work/coop/home"
python3 "$here/gen_dag.py" release "$N" "$SEED" > dag.json
(cd release && "$BALE" create-release --tarball ../dag.tgz > /dev/null)
# The same DAG with packaging scripts that only install their marker: lease overhead.
cp -a release release0
sed -i 's/^sleep .*$/true/' release0/packages/*/packaging
(cd release0 && "$BALE" create-release --tarball ../dag0.tgz > /dev/null)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$S3S_FS" --host 127.0.0.1 --port "$port" --access-key AKBENCH --secret-key SKBENCH s3 > s3.log 2>&1 &
s3pid=$!
trap 'kill $s3pid 2>/dev/null || true' EXIT
export AWS_ACCESS_KEY_ID=AKBENCH AWS_SECRET_ACCESS_KEY=SKBENCH AWS_ENDPOINT_URL="http://127.0.0.1:$port"
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

echo "## conditional create: 3 concurrent If-None-Match: * PUTs per key, 60 keys"
mkdir -p s3/race
multi=0
for k in $(seq 60); do
  for j in 1 2 3; do
    curl -s -o /dev/null -w "%{http_code}\n" --aws-sigv4 "aws:amz:us-east-1:s3" \
      --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
      -X PUT -H "If-None-Match: *" --data-binary "owner $j" "$AWS_ENDPOINT_URL/race/k$k" &
  done > "race-$k.txt"
  wait $(jobs -p | grep -v "^$s3pid\$")
  [ "$(grep -c '^200' "race-$k.txt")" -gt 1 ] && multi=$((multi + 1))
done
echo "keys with more than one winner: $multi of 60 (an atomic store: 0)"

fresh() { rm -rf s3/bucket m* && mkdir -p s3/bucket; }
# run NAME TARBALL EXTRA...: one process in the background, its JSON in NAME.json.
run() {
  local name=$1 tgz=$2; shift 2
  "$BALE" compile-release "$tgz" --stemcell ubuntu-jammy/1.406 --host-rootfs --json \
    --cache-dir "$name" --tarball "$name.tgz" "$@" > "$name.json" 2> "$name.log" &
}
cpu() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }

echo "## makespan: $N packages, $WORKERS workers per process"
for p in 1 2 3; do
  fresh
  s=$(date +%s.%N)
  /usr/bin/env time -f "%U %S" -o cpu-all.txt bash -c '
    for i in $(seq '"$p"'); do
      "$0" compile-release dag.tgz --stemcell ubuntu-jammy/1.406 --host-rootfs --json \
        --cache-dir m$i --tarball m$i.tgz --workers '"$WORKERS"' \
        --cache s3://bucket/ci --cooperate > m$i.json 2> m$i.log &
    done
    wait' "$BALE"
  e=$(date +%s.%N)
  python3 - dag.json "$p" "$WORKERS" "$s" "$e" cpu-all.txt m*.json <<'PY'
import json, sys
dag = json.load(open(sys.argv[1])); p, w = int(sys.argv[2]), int(sys.argv[3])
start, end = float(sys.argv[4]), float(sys.argv[5])
cpu = sum(map(float, open(sys.argv[6]).read().split()))
runs = [json.load(open(f)) for f in sys.argv[7:]]
cost = {k: v["sleep"] for k, v in dag.items()}
dependents = {k: [] for k in dag}
for k, v in dag.items():
    for d in v["deps"]:
        dependents[d].append(k)
memo = {}
def rem(k):
    if k not in memo:
        memo[k] = cost[k] + max((rem(d) for d in dependents[k]), default=0)
    return memo[k]
critical = max(rem(k) for k in dag)
lb = max(critical, sum(cost.values()) / (p * w))
compiled = [r["compiled"] for r in runs]
same = len({open(f.replace(".json", ".tgz"), "rb").read() for f in sys.argv[7:]}) == 1
print(f"| {p} | {end-start:.2f} s | {lb:.2f} s (critical {critical:.2f}, work/{p*w} {sum(cost.values())/(p*w):.2f}) "
      f"| {(end-start)/lb:.3f} | {'+'.join(map(str, compiled))} = {sum(compiled)} | {cpu:.2f} s | {'yes' if same else 'NO'} |")
PY
done
echo "(columns: processes | makespan | lower bound | ratio | packages compiled per process = total | user+sys CPU of all | identical tarballs)"

echo "## lease overhead: $N packages that compile in no time, 1 process, 1 worker"
for mode in plain cooperate; do
  best=""
  for rep in 1 2 3; do
    fresh
    extra=(--cache s3://bucket/ci); [ "$mode" = cooperate ] && extra+=(--cooperate)
    s=$(date +%s.%N)
    "$BALE" compile-release dag0.tgz --stemcell ubuntu-jammy/1.406 --host-rootfs --json \
      --cache-dir m1 --tarball m1.tgz --workers 1 "${extra[@]}" > m1.json 2> m1.log
    e=$(date +%s.%N)
    d=$(echo "$e - $s" | bc)
    best=$(python3 -c "print(min(float(x) for x in '$best $d'.split()))")
  done
  echo "$mode: best of 3 $best s"
  eval "t_$mode=$best"
done
python3 -c "print(f'lease overhead: {($t_cooperate - $t_plain) / $N * 1000:.1f} ms per package (claim, renew, release on loopback S3)')"

echo "## takeover: lease $LEASE s, a process killed 1 s after its first lease"
fresh
run m1 dag.tgz --workers 1 --cache s3://bucket/ci --cooperate --lease-seconds "$LEASE"
doomed=$!
until ls s3/bucket/ci/*.lease > /dev/null 2>&1; do sleep 0.02; done
# The survivor's progress lines, each stamped with the time it was printed.
"$BALE" --tty compile-release dag.tgz --stemcell ubuntu-jammy/1.406 --host-rootfs \
  --cache-dir m2 --tarball m2.tgz --workers 1 --cache s3://bucket/ci --cooperate \
  --lease-seconds "$LEASE" 2>&1 | while IFS= read -r line; do
    echo "$(date +%s.%N) $line"; done > m2.log &
survivor=$!
sleep 1
kill -9 "$doomed"; killed=$(date +%s.%N)
wait "$survivor" || true
line=$(grep -m1 "Taking over" m2.log || true)
[ -n "$line" ] || { echo "no takeover seen: see $work/coop/m2.log"; exit 1; }
taken=${line%% *}
what=$(echo "$line" | sed 's/^[0-9.]* Taking over \([^:]*\):.*/\1/')
python3 -c "print(f'killed the process compiling $what; the survivor took it over {$taken - $killed:.2f} s after the kill (lease $LEASE s, renewed every {$LEASE/3:.2f} s, polled every {min(1.0, max(0.1, $LEASE/8)):.2f} s)')"
