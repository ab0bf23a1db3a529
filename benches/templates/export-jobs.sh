#!/usr/bin/env bash
# Exports the `jobs` directory of every release in releases.txt, at its HEAD, from local
# bare clones, as crosscheck.py and bench.sh read them:
#
#   benches/templates/export-jobs.sh MIRRORS DEST [LIST]
#
# MIRRORS holds one clone per release as OWNER+NAME/repo (a bare repository, or one with a
# `.git` inside), as the tool library's `fetch` leaves them; DEST gets SET/OWNER+NAME/jobs
# (for the `rel` set, rel/NAME/jobs: bench.sh names a set after its directory). LIST
# defaults to releases.txt beside this script. A release already exported is left as it
# is; one without a clone or without `jobs` is listed on stderr, and the exit status is 1
# when any was. Nothing is fetched here.
set -u
here=$(cd "$(dirname "$0")" && pwd)
mirrors=${1:?usage: export-jobs.sh MIRRORS DEST [LIST]}
dest=${2:?usage: export-jobs.sh MIRRORS DEST [LIST]}
list=${3:-$here/releases.txt}
missing=0
while read -r set repo; do
  case "$set" in ''|'#'*) continue ;; esac
  flat=${repo/\//+}
  out=$dest/$set/$flat
  [ "$set" = rel ] && out=$dest/rel/${repo#*/}
  [ -d "$out/jobs" ] && continue
  git=$mirrors/$flat/repo
  [ -d "$git/.git" ] && git=$git/.git
  if ! git --git-dir="$git" rev-parse -q --verify 'HEAD:jobs' > /dev/null 2>&1; then
    echo "export-jobs.sh: $repo: no clone with a jobs directory under $mirrors/$flat" >&2
    missing=1
    continue
  fi
  mkdir -p "$out"
  git --git-dir="$git" archive --prefix=jobs/ HEAD:jobs | tar -x -C "$out"
done < "$list"
exit "$missing"
