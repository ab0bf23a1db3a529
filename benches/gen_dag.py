#!/usr/bin/env python3
"""Writes a release directory whose N packages form a random DAG (seeded, so every run is
the same) and whose packaging scripts only sleep for a known time, then prints the DAG as
JSON: {name: {"sleep": seconds, "deps": [...]}}. Used by compile.sh to compare bale's
makespan with the lower bound max(critical path, total work / workers)."""
import json
import os
import random
import sys

dest, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
os.makedirs(f"{dest}/config", exist_ok=True)
with open(f"{dest}/config/final.yml", "w") as f:
    f.write("---\nname: dag\nblobstore:\n  provider: local\n  options:\n    blobstore_path: /tmp/dag-blobs\n")
with open(f"{dest}/config/blobs.yml", "w") as f:
    f.write("--- {}\n")
dag = {}
for i in range(n):
    name = f"p{i:02d}"
    # A few long compiles (a language runtime, a database) among many short ones.
    sleep = round(rng.choice([3.0, 2.0]) if rng.random() < 0.15 else rng.uniform(0.2, 1.2), 2)
    earlier = list(dag)
    deps = sorted(rng.sample(earlier, k=min(len(earlier), rng.choice([0, 1, 1, 2, 3]))))
    dag[name] = {"sleep": sleep, "deps": deps}
    os.makedirs(f"{dest}/packages/{name}", exist_ok=True)
    os.makedirs(f"{dest}/src/{name}", exist_ok=True)
    with open(f"{dest}/src/{name}/marker", "w") as f:
        f.write(name + "\n")
    with open(f"{dest}/packages/{name}/spec", "w") as f:
        f.write(f"---\nname: {name}\ndependencies:\n" + "".join(f"- {d}\n" for d in deps)
                + ("" if deps else "[]\n").replace("[]\n", "") + f"files:\n- {name}/**/*\n")
    with open(f"{dest}/packages/{name}/packaging", "w") as f:
        f.write(f"set -e\nsleep {sleep}\ncp {name}/marker \"$BOSH_INSTALL_TARGET/\"\n")
json.dump(dag, sys.stdout)
