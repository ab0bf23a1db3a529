#!/usr/bin/env python3
"""Checks bale's fingerprints against the ones public BOSH releases recorded.

For every final release manifest (releases/**/NAME-VERSION.yml at the repository's HEAD)
whose archive digests are SHA-256 (made by a CLI >= v5.5.0), the tree at the release's
`commit_hash` is exported with (as `git archive` would, read with `git cat-file`) into a temporary directory, and
`bale create-release --dry-run --json --force` is run on it. Every job, package and license
fingerprint of the manifest is compared with bale's plan.

usage: corpus.py --bale PATH [--mirror DIR] [--work DIR] [--out results.json] [--jobs N]
                 [--newest N] [REPO...]

REPO is a bare git directory, or OWNER+NAME under --mirror (default /work/.mirror, where
each is OWNER+NAME/repo). Nothing fetched is kept: each export is deleted after its run.

Each manifest resource ends as one of:
  confirmed   bale's fingerprint equals the recorded one
  miss        bale computed another fingerprint, or failed, or lacks the resource
  excluded    the exported tree cannot reproduce it, with the reason (checked case by
              case, see classify()): a blob known only by a SHA-1 digest and not
              downloadable here, files in a git submodule, a release made with
              uncommitted changes, a commit missing from the repository's history
"""
import argparse
import collections
import fnmatch
import threading
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

SHA256 = re.compile(r"^sha256:[0-9a-f]{64}$")


def git(repo, *args, text=True):
    return subprocess.run(["git", "--git-dir", repo, *args], capture_output=True, text=text)


def release_manifests(repo):
    out = git(repo, "ls-tree", "-r", "--name-only", "HEAD", "--", "releases").stdout.split()
    for path in sorted(out):
        if not path.endswith(".yml") or path.endswith("index.yml"):
            continue
        text = git(repo, "show", f"HEAD:{path}").stdout
        try:
            m = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if not isinstance(m, dict) or "commit_hash" not in m:
            continue
        digests = [r.get("sha1", "") for r in (m.get("jobs") or []) + (m.get("packages") or [])]
        if digests and all(SHA256.match(str(d)) for d in digests):
            yield path, m


def resources(m):
    for j in m.get("jobs") or []:
        yield ("job", j["name"], j["fingerprint"])
    for p in m.get("packages") or []:
        yield ("package", p["name"], p["fingerprint"])
    if m.get("license"):
        yield ("license", "license", m["license"]["fingerprint"])


def export(repo, commit, dest):
    """Writes the tree of `commit` into `dest` as git archive would (modes, symlinks; no
    submodule content). Returns the paths whose blobs the repository lacks (a snapshot may
    leave out files of 4 MiB and more) and the submodule paths."""
    ls = subprocess.run(["git", "--git-dir", repo, "ls-tree", "-r", "-z", commit],
                        capture_output=True, check=True).stdout
    entries, submodules = [], []
    for rec in ls.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, kind, oid = meta.split()
        if kind == b"commit":
            submodules.append(path.decode())
            os.makedirs(os.path.join(dest, path.decode()), exist_ok=True)
        elif kind == b"blob":
            entries.append((mode, oid, path.decode()))
    missing = []
    cat = subprocess.Popen(["git", "--git-dir", repo, "cat-file", "--batch"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def feed():
        for _, oid, _ in entries:
            cat.stdin.write(oid + b"\n")
        cat.stdin.close()

    writer = threading.Thread(target=feed)
    writer.start()
    for mode, oid, path in entries:
        head = cat.stdout.readline().split()
        if head[1] == b"missing":
            missing.append(path)
            continue
        data = cat.stdout.read(int(head[2]))
        cat.stdout.read(1)
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if mode == b"120000":
            os.symlink(data, target)
        else:
            with open(target, "wb") as f:
                f.write(data)
            os.chmod(target, 0o755 if mode == b"100755" else 0o644)
    writer.join()
    cat.wait()
    return missing, submodules


def plan_of(bale, root, home):
    env = dict(os.environ, HOME=home)
    r = subprocess.run(
        [bale, "create-release", "--dir", root, "--dry-run", "--json", "--force"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    if r.returncode != 0:
        return None, (r.stdout + r.stderr).strip()
    return json.loads(r.stdout), None


def plan_index(plan):
    idx = {}
    for j in plan.get("jobs") or []:
        idx[("job", j["name"])] = j
    for p in plan.get("packages") or []:
        idx[("package", p["name"])] = p
    if plan.get("license"):
        idx[("license", "license")] = plan["license"]
    return idx


def package_globs(root, name):
    spec = os.path.join(root, "packages", name, "spec")
    try:
        s = yaml.safe_load(open(spec)) or {}
    except (OSError, yaml.YAMLError):
        return []
    return [str(f) for f in (s.get("files") or [])]


def classify(root, m, kind, name, item, error, missing, subs):
    """Why a resource that bale could not confirm cannot be confirmed from this tree, or None
    when nothing explains it (a real miss)."""
    if m.get("uncommitted_changes"):
        return "release was made with uncommitted changes: the commit is not its source"
    if kind == "package" and subs:
        for g in package_globs(root, name):
            if any(("src/" + g).startswith(s.rstrip("/") + "/") or s.startswith("src/" + g.split("*")[0].rstrip("/"))
                   for s in subs):
                return "package files are in a git submodule, which git archive leaves out"
    if item is not None and item.get("fingerprint") is None and item.get("needs_blobs"):
        return "needs blob(s) known only by a SHA-1 digest in blobs.yml: " + ", ".join(item["needs_blobs"])
    if error and subs and "Missing files for pattern" in error:
        return "files in a git submodule, which git archive leaves out: " + ", ".join(subs)
    if missing:
        mine = [p for p in missing if p.startswith(f"jobs/{name}/") or p.startswith(f"packages/{name}/")
                or (kind == "package" and any(fnmatch.fnmatch(p, "src/" + g) for g in package_globs(root, name)))
                or (kind == "license" and "/" not in p)]
        if mine:
            return "file absent from the repository snapshot (files of 4 MiB and more are left out): " + ", ".join(mine[:3])
        if error and "Missing files for pattern" in error:
            return "bale failed on a file absent from the repository snapshot: " + ", ".join(missing[:3])
    return None


def version_key(m):
    return [int(x) for x in re.findall(r"\d+", str(m.get("version")))]


def check_repo(bale, repo, work, jobs, newest):
    todo = list(release_manifests(repo))
    if newest:
        todo = sorted(todo, key=lambda pm: version_key(pm[1]))[-newest:]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda pm: check_release(bale, repo, work, *pm), todo))


def check_release(bale, repo, work, path, m):
    rel = {"manifest": path, "version": str(m.get("version")), "commit": m["commit_hash"],
           "resources": []}
    c = git(repo, "rev-parse", "--verify", "--quiet", m["commit_hash"] + "^{commit}")
    if c.returncode != 0:
        for kind, name, fp in resources(m):
            rel["resources"].append({"kind": kind, "name": name, "want": fp, "state": "excluded",
                                     "cause": "commit_hash is not in the repository's history"})
        return rel
    commit = c.stdout.strip()
    tmp = tempfile.mkdtemp(prefix="bale-corpus-", dir=work)
    try:
        root = os.path.join(tmp, "tree")
        home = os.path.join(tmp, "home")
        os.makedirs(root)
        os.makedirs(home)
        missing, subs = export(repo, commit, root)
        plan, error = plan_of(bale, root, home)
        if error:
            error = re.sub(r"\s+", " ", error.replace(root, "<tree>"))
        idx = plan_index(plan) if plan else {}
        for kind, name, fp in resources(m):
            item = idx.get((kind, name))
            got = item.get("fingerprint") if item else None
            r = {"kind": kind, "name": name, "want": fp, "got": got}
            if got == fp:
                r["state"] = "confirmed"
            else:
                why = classify(root, m, kind, name, item, error, missing, subs)
                if why:
                    r["state"], r["cause"] = "excluded", why
                else:
                    r["state"] = "miss"
                    if error:
                        r["cause"] = "bale failed: " + error[-600:]
                    elif item is None:
                        r["cause"] = "bale's plan has no such resource"
                    else:
                        r["cause"] = "fingerprint differs"
            rel["resources"].append(r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rel


def summary(results):
    lines = ["| repository | releases | fingerprints | confirmed | excluded | missed |",
             "|---|---|---|---|---|---|"]
    total = collections.Counter()
    for repo, rels in results.items():
        c = collections.Counter(r["state"] for rel in rels for r in rel["resources"])
        n = sum(c.values())
        lines.append(f"| {repo} | {len(rels)} | {n} | {c['confirmed']} | {c['excluded']} | {c['miss']} |")
        total.update(c)
        total["releases"] += len(rels)
    n = total["confirmed"] + total["excluded"] + total["miss"]
    lines.append(f"| **total** | {total['releases']} | {n} | {total['confirmed']} | {total['excluded']} | {total['miss']} |")
    causes = collections.Counter()
    for repo, rels in results.items():
        for rel in rels:
            for r in rel["resources"]:
                if r["state"] != "confirmed":
                    cause = r.get("cause", "")
                    cause = cause if len(cause) < 120 else cause[:117] + "..."
                    causes[(r["state"], re.sub(r": .*", "", cause) if r["state"] == "excluded" else cause)] += 1
    lines += ["", "| state | cause | fingerprints |", "|---|---|---|"]
    for (state, cause), k in causes.most_common():
        lines.append(f"| {state} | {cause} | {k} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bale", required=True)
    ap.add_argument("--mirror", default="/work/.mirror")
    ap.add_argument("--work", default=tempfile.gettempdir())
    ap.add_argument("--out", default=None)
    ap.add_argument("--jobs", type=int, default=2, help="releases checked at once")
    ap.add_argument("--newest", type=int, default=0,
                    help="check only the N newest SHA-256 releases of each repository (0: all)")
    ap.add_argument("repos", nargs="*")
    a = ap.parse_args()
    repos = a.repos or sorted(os.listdir(a.mirror))
    results = {}
    if a.out and os.path.exists(a.out):
        # Resume: repositories already in the results file are not checked again.
        results = json.load(open(a.out))
    for r in repos:
        path = r if os.path.isdir(os.path.join(r, "objects")) else os.path.join(a.mirror, r, "repo")
        name = r if path != r else os.path.basename(os.path.dirname(path.rstrip("/")))
        if name.replace("+", "/") in results:
            continue
        rows = check_repo(os.path.abspath(a.bale), path, a.work, a.jobs, a.newest)
        if not rows:
            continue
        results[name.replace("+", "/")] = rows
        print(summary({name: rows}).splitlines()[2], file=sys.stderr, flush=True)
        if a.out:
            save(a.out, results)
    print(summary(results))


def save(out, results):
    with open(out + ".tmp", "w") as f:
        f.write(json.dumps(results, indent=1, sort_keys=True) + "\n")
    os.replace(out + ".tmp", out)
    with open(os.path.splitext(out)[0] + ".md", "w") as f:
        f.write(summary(results) + "\n")


if __name__ == "__main__":
    main()
