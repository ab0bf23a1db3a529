#!/usr/bin/env python3
"""bale next to the real `bosh` CLI on real release repositories, offline.

For each repository (a bare mirror, exported at HEAD) one starting state is prepared:
`config/final.yml` pointed at a local blobstore (`../blobstore`); every final build of
`.final_builds` given a stand-in archive in that blobstore (its index entry the stand-in's
digest and object id, its fingerprint kept, so unchanged jobs and packages are found and
downloaded as in the team's checkout); every blob of `config/blobs.yml` replaced by a small
deterministic file recorded with its size and SHA-256 and no object id (the real objects
live in the team's bucket); `releases/*/*.yml` manifests and dev state removed,
`releases/*/index.yml` kept, so version numbering follows the repository's history.

Then the same commands run in four copies of that state, {bosh, bale} x {plain, --json}
(stdout not a terminal), each with its own HOME and blobstore:

  blobs, upload-blobs, blobs, create-release --force, create-release --force --tarball,
  create-release --final --force --tarball, inspect-local-release, (cache emptied)
  create-release --force, (cache, .dev_builds and dev_releases emptied: a fresh clone)
  create-release --force [final builds downloaded from the local blobstore],
  finalize-release --force of the dev tarball, reset-release

and stdout, stderr and exit codes are compared, and at the end the files they wrote
(`config/blobs.yml`, build indexes, release indexes and manifests), after masking what is
random in either tool:
UUIDs, `sha256:` archive digests (the CLI's archives carry timestamps), commit hashes, tmp
paths, the timestamps of `inspect-local-release`. Fingerprints and versions are compared as
they are. stderr and `--json` `Lines` are compared as multisets (parallel work finishes in
any order).

    python3 benches/dropin/compare.py [--bosh /work/ref/bin/bosh] [--bale target/debug/bale]
        [--mirrors /work/.mirror] [--out benches/dropin/results.md] [REPO ...]

Writes the table to --out and every difference in full to WORK/diffs/ (WORK is printed).
"""
import argparse
import collections
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

REPOS = [
    "cloudfoundry+node-exporter-boshrelease",
    "cloudfoundry+bpm-release",
    "cloudfoundry+statsd-injector-release",
    "cloudfoundry-community+jumpbox-boshrelease",
    "cloudfoundry-community+toolbelt-boshrelease",
    "cloudfoundry+os-conf-release",
    "cloudfoundry+nats-release",
    "cloudfoundry+bosh-dns-aliases-release",
]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com",
    "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.com",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC", "LC_ALL": "C",
}


def sh(cmd, cwd=None, env=None, check=True):
    e = dict(os.environ, **GIT_ENV, **(env or {}))
    r = subprocess.run(cmd, cwd=cwd, env=e, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        raise RuntimeError(f"{cmd}: {r.stderr.decode(errors='replace')}")
    return r


def blob_entries(text):
    """Blob paths of a blobs.yml (block style, as the CLI writes it)."""
    return [l[:-1].strip("'\"") for l in text.splitlines()
            if l and not l[0] in " \t#-" and l.rstrip().endswith(":")]


def standin_tgz(label):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
            data = f"stand-in for the final build {label}\n".encode()
            info = tarfile.TarInfo("./stand-in")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def standins(dest, seed):
    """Every final build of `.final_builds` gets a stand-in archive in the local blobstore
    (`seed`), its index entry the stand-in's digest and object id; the fingerprints stay, so
    jobs and packages whose sources did not change are found as final builds and downloaded,
    as in the team's own checkout."""
    os.makedirs(seed, exist_ok=True)
    fb = os.path.join(dest, ".final_builds")
    for root, _, files in os.walk(fb):
        if "index.yml" not in files:
            continue
        name = os.path.relpath(root, fb)
        path = os.path.join(root, "index.yml")
        out, fp = [], None
        for l in open(path).read().splitlines():
            m = re.match(r"^  (\S+):$", l)
            if m:
                fp = m.group(1).strip("'\"")
            if re.match(r"^    (blobstore_id|sha1):", l):
                if l.startswith("    sha1:"):
                    data = standin_tgz(f"{name}/{fp}")
                    oid = hashlib.sha256(f"{name}/{fp}".encode()).hexdigest()[:32]
                    oid = f"{oid[:8]}-{oid[8:12]}-{oid[12:16]}-{oid[16:20]}-{oid[20:32]}"
                    open(os.path.join(seed, oid), "wb").write(data)
                    out.append(f"    blobstore_id: {oid}")
                    out.append(f"    sha1: sha256:{hashlib.sha256(data).hexdigest()}")
                continue
            out.append(l)
        open(path, "w").write("\n".join(out) + "\n")


def prepare(mirror, dest, seed):
    os.makedirs(dest)
    archive = subprocess.run(["git", "--git-dir", mirror, "archive", "HEAD"],
                             stdout=subprocess.PIPE, check=True).stdout
    subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
    for d in [".dev_builds", "dev_releases", "blobs"]:
        shutil.rmtree(os.path.join(dest, d), ignore_errors=True)
    standins(dest, seed)
    rel = os.path.join(dest, "releases")
    if os.path.isdir(rel):
        for root, _, files in os.walk(rel):
            for f in files:
                if f != "index.yml":
                    os.remove(os.path.join(root, f))
    cfg = os.path.join(dest, "config")
    name = "release"
    final = os.path.join(cfg, "final.yml")
    if os.path.exists(final):
        for l in open(final):
            m = re.match(r"^(final_)?name:\s*(\S+)", l)
            if m:
                name = m.group(2).strip("'\"")
    with open(final, "w") as f:
        f.write(f"---\nname: {name}\nblobstore:\n  provider: local\n  options:\n"
                "    blobstore_path: ../blobstore\n")
    for p in ["private.yml"]:
        if os.path.exists(os.path.join(cfg, p)):
            os.remove(os.path.join(cfg, p))
    by = os.path.join(cfg, "blobs.yml")
    out = []
    if os.path.exists(by):
        for path in sorted(blob_entries(open(by).read())):
            data = f"stand-in for blob {path}\n".encode()
            target = os.path.join(dest, "blobs", path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "wb").write(data)
            out.append(f"{path}:\n  size: {len(data)}\n  sha: sha256:{hashlib.sha256(data).hexdigest()}\n")
        open(by, "w").write("".join(out) if out else "--- {}\n")
    sh(["git", "init", "-q", "-b", "main", "."], cwd=dest)
    sh(["git", "add", "-A", "-f", "."], cwd=dest)
    # blobs/ stays untracked (as in the repositories: it is git-ignored)
    sh(["git", "rm", "-r", "-q", "--cached", "--ignore-unmatch", "blobs"], cwd=dest)
    sh(["git", "commit", "-q", "-m", "prepared"], cwd=dest)
    return name


def steps(tool_dir):
    out = os.path.join(tool_dir, "out")
    return [
        ("01-blobs", ["blobs"], None),
        ("02-upload-blobs", ["upload-blobs"], "commit"),
        ("03-blobs-after-upload", ["blobs"], None),
        ("04-create-release-dev", ["create-release", "--force"], None),
        ("05-create-release-dev-tarball", ["create-release", "--force", f"--tarball={out}/dev.tgz"], None),
        ("06-create-release-final", ["create-release", "--final", "--force", f"--tarball={out}/final.tgz"], "commit"),
        ("07-inspect-local-release", ["inspect-local-release", f"{out}/final.tgz"], "clear-cache"),
        ("08a-create-release-cache-emptied", ["create-release", "--force"], "fresh-clone"),
        ("08b-create-release-downloads-final-builds", ["create-release", "--force"], None),
        ("09-finalize-release", ["finalize-release", "--force", f"{out}/dev.tgz"], "commit"),
        ("10-reset-release", ["reset-release"], None),
    ]


def run_tool(tool, binary, mode, state, tool_dir):
    os.makedirs(tool_dir)
    rel = os.path.join(tool_dir, "release")
    shutil.copytree(state, rel, symlinks=True)
    for d in ["home", "out"]:
        os.makedirs(os.path.join(tool_dir, d))
    shutil.copytree(os.path.join(os.path.dirname(state), "blobstore-seed"),
                    os.path.join(tool_dir, "blobstore"))
    env = {"HOME": os.path.join(tool_dir, "home")}
    results = {}
    for name, args, after in steps(tool_dir):
        flags = ["-n"] + (["--json"] if mode == "json" else [])
        r = sh([binary] + flags + args, cwd=rel, env=env, check=False)
        results[name] = (r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace"), r.returncode)
        if after == "commit":
            sh(["git", "add", "-A", "."], cwd=rel)
            sh(["git", "commit", "-q", "--allow-empty", "-m", name], cwd=rel)
        elif after in ("clear-cache", "fresh-clone"):
            shutil.rmtree(os.path.join(env["HOME"], ".bosh", "cache"), ignore_errors=True)
            if after == "fresh-clone":
                for d in [".dev_builds", "dev_releases"]:
                    shutil.rmtree(os.path.join(rel, d), ignore_errors=True)
    return results


WORD = re.compile(r"[A-Za-z0-9:+.\-]+")


def mask(text, tool_dir):
    text = text.replace(tool_dir, "<DIR>")
    text = re.sub(r"/tmp/[A-Za-z0-9_./-]+", "<TMP>", text)

    def word(m):
        w = m.group(0)
        if w.endswith(":") and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:", w):
            return "<UUID>:"
        if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", w):
            return "<UUID>"
        w = re.sub(r"sha256:[0-9a-f]{64}", "<SHA256>", w)
        if re.fullmatch(r"[0-9a-f]{7}\+?", w) and re.search(r"[0-9]", w):
            return "<COMMIT>" + ("+" if w.endswith("+") else "")
        return w
    text = WORD.sub(word, text)
    # inspect-local-release's creation times and their column widths
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<TIME>", text)
    return text


def written_files(tool_dir):
    """What the commands left in the release: blobs.yml, build and release indexes, release
    manifests, keyed by path, contents masked."""
    rel = os.path.join(tool_dir, "release")
    out = {}
    for top in ["config/blobs.yml", ".final_builds", ".dev_builds", "releases", "dev_releases"]:
        base = os.path.join(rel, top)
        paths = [base] if os.path.isfile(base) else [
            os.path.join(r, f) for r, _, fs in os.walk(base) for f in fs]
        for p in paths:
            if p.endswith(".tgz"):
                continue
            # yaml.v2 quotes a commit hash of digits only
            text = mask(open(p, errors="replace").read(), tool_dir)
            out[os.path.relpath(p, rel)] = text.replace('"<COMMIT>"', "<COMMIT>")
    return out


def compare(a, b, what):
    if a == b:
        return True
    if what == "err":
        return collections.Counter(a.splitlines()) == collections.Counter(b.splitlines())
    if what == "json":
        try:
            ja, jb = json.loads(a), json.loads(b)
        except ValueError:
            return False
        for j in (ja, jb):
            if isinstance(j.get("Lines"), list):
                j["Lines"] = sorted(j["Lines"])
        return ja == jb
    return False


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bosh", default="/work/ref/bin/bosh")
    ap.add_argument("--bale", default=os.path.join(here, "../../target/debug/bale"))
    ap.add_argument("--mirrors", default="/work/.mirror")
    ap.add_argument("--out", default=os.path.join(here, "results.md"))
    ap.add_argument("--keep", action="store_true", help="keep the work dir")
    ap.add_argument("repos", nargs="*", default=REPOS)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="dropin-")
    print(f"work dir: {work}", file=sys.stderr)
    diffs = os.path.join(work, "diffs")
    os.makedirs(diffs)
    rows = []
    total = collections.Counter()
    for repo in a.repos:
        mirror = os.path.join(a.mirrors, repo, "repo")
        state = os.path.join(work, repo, "state")
        name = prepare(mirror, state, os.path.join(work, repo, "blobstore-seed"))
        res = {}
        for tool, binary in [("bosh", a.bosh), ("bale", os.path.abspath(a.bale))]:
            for mode in ["plain", "json"]:
                d = os.path.join(work, repo, f"{tool}-{mode}")
                res[tool, mode] = (d, run_tool(tool, binary, mode, state, d))
        for step, _, _ in steps(""):
            cells = []
            for mode in ["plain", "json"]:
                (db, rb), (dl, rl) = res["bosh", mode], res["bale", mode]
                bo, be, bc = rb[step]
                lo, le, lc = rl[step]
                parts = {
                    "out": (mask(bo, db), mask(lo, dl), "json" if mode == "json" else "out"),
                    "err": (mask(be, db), mask(le, dl), "err"),
                    "rc": (str(bc), str(lc), "rc"),
                }
                bad = [k for k, (x, y, w) in parts.items() if not compare(x, y, w)]
                total["compared"] += 1
                if bad:
                    total["differ"] += 1
                    with open(os.path.join(diffs, f"{repo}.{step}.{mode}.txt"), "w") as f:
                        for k in bad:
                            x, y, _ = parts[k]
                            f.write(f"=== {k}\n--- bosh\n{x}\n--- bale\n{y}\n")
                    cells.append(f"differs ({', '.join(bad)}; rc {bc}/{lc})")
                else:
                    cells.append(f"same (rc {bc})")
            rows.append((repo, step, *cells))
        cells = []
        for mode in ["plain", "json"]:
            fb, fl = written_files(res["bosh", mode][0]), written_files(res["bale", mode][0])
            # release indexes are keyed by random UUIDs, so their entries come in any order
            def same(p):
                a, b = fb.get(p), fl.get(p)
                if a is None or b is None or not p.endswith("index.yml") \
                        or not p.startswith(("releases/", "dev_releases/")):
                    return a == b
                return collections.Counter(a.splitlines()) == collections.Counter(b.splitlines())
            bad = sorted(p for p in set(fb) | set(fl) if not same(p))
            total["compared"] += 1
            if bad:
                total["differ"] += 1
                with open(os.path.join(diffs, f"{repo}.files.{mode}.txt"), "w") as f:
                    for p in bad:
                        f.write(f"=== {p}\n--- bosh\n{fb.get(p)}\n--- bale\n{fl.get(p)}\n")
                cells.append(f"differs ({len(bad)} of {len(set(fb) | set(fl))} files)")
            else:
                cells.append(f"same ({len(fb)} files)")
        rows.append((repo, "files written (indexes, manifests, blobs.yml)", *cells))
        print(f"{repo}: done", file=sys.stderr)
    # Notes written by hand below the marker survive a new run.
    marker = "<!-- notes: kept by compare.py -->"
    notes = ""
    if os.path.exists(a.out):
        old = open(a.out).read()
        if marker in old:
            notes = old[old.index(marker):]
    with open(a.out, "w") as f:
        f.write("# bale next to `bosh` v7.4.0 on real release repositories\n\n")
        f.write("Made by `benches/dropin/compare.py` (see its docstring for the preparation and "
                "the masks). Cells: plain / `--json`, stdout+stderr+exit code after masking; "
                "`rc x/y` is bosh's / bale's exit code.\n\n")
        f.write(f"{total['compared']} step runs compared, {total['compared'] - total['differ']} the same.\n\n")
        f.write("| repository | step | plain | --json |\n|---|---|---|---|\n")
        for r in rows:
            f.write("| " + " | ".join(r) + " |\n")
        if notes:
            f.write("\n" + notes)
    print(f"{total['compared'] - total['differ']}/{total['compared']} the same; diffs in {diffs}", file=sys.stderr)
    if not a.keep:
        for repo in a.repos:
            shutil.rmtree(os.path.join(work, repo), ignore_errors=True)


if __name__ == "__main__":
    main()
