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
args=$(cat release-args)
measure() { # label manifest
  for i in $(seq "$runs"); do
    rm -rf out
    /usr/bin/time -f "%U %S %e" -o time.txt "$bale" --json render-deployment "$2" $args \
      -l vars-store.yml -v system_domain=sys.example.com --out out > doc.json 2> err.txt || true
    read -r u s e < <(tail -1 time.txt)
    echo "$1 run $i: user ${u}s sys ${s}s (cpu $(python3 -c "print(round($u + $s, 2))")s) wall ${e}s"
  done
  python3 - <<'PY'
import json
d = json.load(open("doc.json"))
if "counts" in d:
    print("  rendered:", d["counts"])
else:
    lines = d["error"].splitlines()
    print("  failing templates (not written):", len([l for l in lines if " templates/" in l]))
    for l in lines[:-1]:
        print("   ", l[:160])
PY
}
measure "cf-deployment" cf-bench.yml
# what the run renders: every instance job's context, and per job its monit, templates
# and .bosh/links.json
rm -rf ctx
"$bale" render-deployment cf-bench.yml $args -l vars-store.yml -v system_domain=sys.example.com \
  --write-contexts ctx > /dev/null 2>&1 || true
python3 - "$work" <<'PY'
import os, sys
import yaml  # PyYAML
work = sys.argv[1]
rels = {}
for line in open(os.path.join(work, "release-args")):
    d = line.split(None, 1)[1].strip()
    rels[os.path.basename(d)] = d
instances, jobs, files = set(), 0, 0
import json
for root, _, names in os.walk("ctx"):
    for n in names:
        ctx = json.load(open(os.path.join(root, n)))
        instances.add(os.path.relpath(root, "ctx"))
        jobs += 1
        job = n[:-5]
        rel = ctx["release"]["name"]
        jd = os.path.join(rels[rel], "jobs", job)
        spec = yaml.safe_load(open(os.path.join(jd, "spec"))) or {}
        t = len(spec.get("templates") or {})
        files += t + os.path.exists(os.path.join(jd, "monit")) + 1
print(f"  attempted: {len(instances)} instances, {jobs} jobs, {files} files")
PY
