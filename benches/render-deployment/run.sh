#!/bin/bash
# render-deployment of cf-deployment.yml with its releases' jobs (exported by prepare.sh):
# CPU time (user+sys, what counts on a shared machine) and wall time of each run, and the
# instances, jobs and files rendered. Variables come from a vars store bale generates once
# (`bale interpolate --vars-store`), so templates see certificates and passwords as they
# would after the director's config-server step.
#   run.sh WORKDIR [BALE] [RUNS]
set -euo pipefail
work=${1:?usage: run.sh WORKDIR [BALE] [RUNS]}
bale=${2:-target/release/bale}
runs=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
cd "$work"
"$bale" interpolate cf-deployment.yml -o "$here/ops.yml" > cf-bench.yml
if [ ! -s vars-store.yml ]; then
  "$bale" interpolate cf-bench.yml --vars-store vars-store.yml -v system_domain=sys.example.com >/dev/null
fi
# jobs whose templates use Ruby that bale's engine does not implement yet; listed so the
# run that renders everything else can succeed and count its files
cat > skip-ops.yml <<'OPS'
- type: remove
  path: /instance_groups/name=uaa/jobs/name=uaa
- type: remove
  path: /instance_groups/name=router/jobs/name=gorouter
- type: remove
  path: /instance_groups/name=diego-cell/jobs/name=route_emitter
OPS
"$bale" interpolate cf-bench.yml -o skip-ops.yml > cf-bench-rendering.yml
args=$(cat release-args)
measure() { # label manifest
  for i in $(seq "$runs"); do
    rm -rf out
    /usr/bin/time -f "%U %S %e" -o time.txt "$bale" --json render-deployment "$2" $args \
      -l vars-store.yml -v system_domain=sys.example.com --out out > doc.json 2> err.txt || true
    read -r u s e < time.txt
    echo "$1 run $i: user ${u}s sys ${s}s (cpu $(echo "$u + $s" | bc)s) wall ${e}s"
  done
  python3 -c 'import json,sys; d=json.load(open("doc.json")); print("  counts:", d.get("counts") or d.get("error","").splitlines()[-1])'
}
measure "all jobs (engine gaps fail)" cf-bench.yml
grep -c ' templates/' err.txt | sed 's/^/  failing templates: /' || true
measure "without uaa, gorouter, route_emitter" cf-bench-rendering.yml
echo "  templates per job: $(find out -mindepth 3 -maxdepth 3 -type d | wc -l) jobs, $(find out -type f | wc -l) files"
