#!/usr/bin/env python3
"""Generates a synthetic BOSH release for benchmarks.

usage: gen_release.py DIR [--packages 40] [--jobs 10] [--mib 13]

Each package gets about MIB MiB: half compressible text files under src/, half an
incompressible blob (gzip of random bytes, like the upstream tarballs real releases keep
as blobs) under blobs/, recorded in config/blobs.yml. Package i depends on up to three
packages with lower numbers, so the dependency graph is a DAG with long chains.
"""
import argparse, gzip, hashlib, os, random

WORDS = ("the release package job template blob fingerprint compile stemcell director agent "
         "monit property link instance deploy manifest version digest archive tarball index "
         "bosh cloud config network disk vm process service start stop pid log error warn "
         "info debug trace http server client port host path file dir src bin lib include").split()

def text_chunk(rng, size):
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
        line = f"{rng.randint(0, 99999):05d} {line}\n"
        out.append(line)
        n += len(line)
    return "".join(out).encode()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--packages", type=int, default=40)
    ap.add_argument("--jobs", type=int, default=10)
    ap.add_argument("--mib", type=float, default=13.0)
    a = ap.parse_args()
    rng = random.Random(42)
    root = a.dir
    for d in ("config", "jobs", "packages", "src", "blobs"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    with open(os.path.join(root, "config/final.yml"), "w") as f:
        f.write("---\nname: synthetic\nblobstore:\n  provider: local\n  options:\n    blobstore_path: ../blobstore\n")
    with open(os.path.join(root, "LICENSE"), "w") as f:
        f.write("synthetic license\n")
    pool = [text_chunk(rng, 1 << 20) for _ in range(8)]
    per_pkg = int(a.mib * (1 << 20))
    blobs = {}
    for i in range(a.packages):
        name = f"pkg{i:02d}"
        deps = sorted({f"pkg{rng.randrange(i):02d}" for _ in range(min(i, 3))})
        pdir = os.path.join(root, "packages", name)
        os.makedirs(pdir, exist_ok=True)
        with open(os.path.join(pdir, "spec"), "w") as f:
            f.write(f"---\nname: {name}\n\ndependencies:{' []' if not deps else ''}\n")
            for d in deps:
                f.write(f"- {d}\n")
            f.write(f"\nfiles:\n- {name}/**/*\n- {name}-blobs/*.tgz\n")
        with open(os.path.join(pdir, "packaging"), "w") as f:
            f.write(f"set -e\ncp -a {name}/* ${{BOSH_INSTALL_TARGET}}/\n")
        sdir = os.path.join(root, "src", name)
        text_left = per_pkg // 2
        k = 0
        while text_left > 0:
            sub = os.path.join(sdir, f"dir{k % 4}")
            os.makedirs(sub, exist_ok=True)
            size = min(text_left, 1 << 20)
            with open(os.path.join(sub, f"file{k:03d}.txt"), "wb") as f:
                f.write(f"{name} file {k}\n".encode())
                f.write(pool[(i + k) % len(pool)][:size])
            text_left -= size
            k += 1
        bpath = f"{name}-blobs/{name}-1.0.tgz"
        full = os.path.join(root, "blobs", bpath)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        raw = rng.randbytes(per_pkg // 2)
        data = gzip.compress(raw, compresslevel=1, mtime=0)
        with open(full, "wb") as f:
            f.write(data)
        os.chmod(full, 0o600)
        blobs[bpath] = (len(data), "sha256:" + hashlib.sha256(data).hexdigest())
    with open(os.path.join(root, "config/blobs.yml"), "w") as f:
        for p in sorted(blobs):
            size, sha = blobs[p]
            f.write(f"{p}:\n  size: {size}\n  sha: {sha}\n")
    for j in range(a.jobs):
        name = f"job{j}"
        jdir = os.path.join(root, "jobs", name)
        os.makedirs(os.path.join(jdir, "templates"), exist_ok=True)
        pkgs = sorted({f"pkg{rng.randrange(a.packages):02d}" for _ in range(4)})
        with open(os.path.join(jdir, "spec"), "w") as f:
            f.write(f"---\nname: {name}\n\ntemplates:\n  ctl.erb: bin/ctl\n  config.yml.erb: config/config.yml\n\npackages:\n")
            for p in pkgs:
                f.write(f"- {p}\n")
            f.write("\nproperties:\n  port:\n    default: 8080\n")
        with open(os.path.join(jdir, "monit"), "w") as f:
            f.write(f"check process {name}\n  with pidfile /var/vcap/sys/run/{name}/pid\n")
        with open(os.path.join(jdir, "templates/ctl.erb"), "w") as f:
            f.write("#!/bin/bash\nexec /var/vcap/packages/app/bin/run --port <%= p('port') %>\n")
        os.chmod(os.path.join(jdir, "templates/ctl.erb"), 0o755)
        with open(os.path.join(jdir, "templates/config.yml.erb"), "w") as f:
            f.write("port: <%= p('port') %>\n")

if __name__ == "__main__":
    main()
