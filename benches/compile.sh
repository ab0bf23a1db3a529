#!/usr/bin/env bash
# compile-release on a synthetic DAG of sleeping packages: bale's makespan against the lower
# bound max(critical path, total work / workers), and what the director's order (the newest
# ready package first, no priorities) would take on the same DAG with the same workers,
# simulated with the same durations. Then the fully cached re-run.
# The scheduler ranks packages by their last known compile time (else their size): the first
# line is a first-ever compile with no history, the others have the times of earlier runs.
#   benches/compile.sh [WORKDIR]   (N=32 packages, SEED=7, WORKERS="2 4 8")
set -euo pipefail
source "$(dirname "$0")/lib.sh" "${1:-}" ""
N="${N:-32}"; SEED="${SEED:-7}"; WORKERS="${WORKERS:-2 4 8}"
rm -rf "$work/dag" && mkdir -p "$work/dag"
python3 "$here/gen_dag.py" "$work/dag/release" "$N" "$SEED" > "$work/dag/dag.json"
export HOME="$work/dag/home"

rm -rf "$HOME/.cache/bale/compile"
for w in ${FIRST:-4} $WORKERS; do
  # Compiled packages go; times.json (the history) stays.
  rm -rf "$HOME/.cache/bale/compile/packages"
  "$BALE" compile-release "$work/dag/release" --stemcell ubuntu-jammy/1.406 --host-rootfs \
    --workers "$w" --tarball "$work/dag/out.tgz" --json > "$work/dag/run-$w.json"
  python3 - "$work/dag/dag.json" "$work/dag/run-$w.json" "$w" <<'PY'
import json, sys, heapq
dag = json.load(open(sys.argv[1])); run = json.load(open(sys.argv[2])); w = int(sys.argv[3])
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
lb = max(critical, sum(cost.values()) / w)

def simulate(pick):
    """Event simulation of w workers with the given ready-list policy."""
    waiting = {k: len(v["deps"]) for k, v in dag.items()}
    ready = [k for k in dag if waiting[k] == 0]
    running, t, done = [], 0.0, 0
    while done < len(dag):
        while ready and len(running) < w:
            k = pick(ready)
            heapq.heappush(running, (t + cost[k], k))
        t, k = heapq.heappop(running)
        done += 1
        for d in dependents[k]:
            waiting[d] -= 1
            if waiting[d] == 0:
                ready.append(d)
    return t
director = simulate(lambda r: r.pop())                       # LIFO, as the director does
ours_sim = simulate(lambda r: r.pop(max(range(len(r)), key=lambda i: rem(r[i]))))
scripts = sum(p["seconds"] for p in run["packages"])
print(f"workers {w}: bale {run['seconds']:.2f} s (packaging scripts {scripts:.1f} s of work) | "
      f"lower bound {lb:.2f} s (critical path {critical:.2f} s, work/workers {sum(cost.values())/w:.2f} s) | "
      f"ratio {run['seconds']/lb:.3f} | director's LIFO order, simulated {director:.2f} s ({director/lb:.3f}x) | "
      f"critical-path order, simulated {ours_sim:.2f} s")
PY
done
s=$(t "$BALE" compile-release "$work/dag/release" --stemcell ubuntu-jammy/1.406 --host-rootfs --tarball "$work/dag/out.tgz")
echo "fully cached re-run ($N packages): $s s"
