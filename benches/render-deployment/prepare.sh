#!/bin/bash
# Exports, from mirrored release repositories, the job directories of every release
# cf-deployment.yml names, each at the version the manifest pins: its git tag (vX or X), else
# the commit_hash its final release record (releases/NAME/NAME-X.yml) names, else HEAD (said
# so). Usage: prepare.sh WORKDIR [MIRROR_DIR]   (MIRROR_DIR holds OWNER+NAME/repo bare repos)
set -euo pipefail
work=${1:?usage: prepare.sh WORKDIR [MIRROR_DIR]}
mirror=${2:-/work/.mirror}
mkdir -p "$work/releases"
cfd="$mirror/cloudfoundry+cf-deployment/repo"
git --git-dir "$cfd" show HEAD:cf-deployment.yml > "$work/cf-deployment.yml"
git --git-dir "$cfd" rev-parse HEAD > "$work/cf-deployment.commit"
: > "$work/release-args"
: > "$work/versions.txt"
sed -n '/^releases:/,$p' "$work/cf-deployment.yml" | grep -E '^- name|url:' | paste - - |
  awk '{print $3, $5}' | while read -r name url; do
  v=${url##*v=}
  repo=$(echo "$url" | sed -E 's#https://bosh.io/d/github.com/([^?]+)\?.*#\1#')
  m="$mirror/$(echo "$repo" | tr / +)/repo"
  if [ ! -d "$m" ]; then echo "$name: no mirror of $repo" >&2; continue; fi
  how=tag
  c=$(git --git-dir "$m" rev-parse --verify -q "v$v^{commit}" || git --git-dir "$m" rev-parse --verify -q "$v^{commit}" || true)
  if [ -z "$c" ]; then
    how=release-record
    c=$(git --git-dir "$m" show "HEAD:releases/$name/$name-$v.yml" 2>/dev/null | sed -n 's/^commit_hash: *//p' | tr -d "'\"" || true)
    if [ -n "$c" ]; then c=$(git --git-dir "$m" rev-parse --verify -q "$c^{commit}" || true); fi
  fi
  if [ -z "$c" ]; then
    # the newest final release at or below the pinned version
    rec=$( (git --git-dir "$m" ls-tree --name-only HEAD "releases/$name/" 2>/dev/null || true) |
      sed -n "s#^releases/$name/$name-\(.*\)\.yml\$#\1#p" | { cat; echo "$v"; } | sort -V |
      awk -v v="$v" '$0 == v { print prev; exit } { prev = $0 }')
    if [ -n "$rec" ]; then
      how="release-record $rec"
      c=$(git --git-dir "$m" show "HEAD:releases/$name/$name-$rec.yml" | sed -n 's/^commit_hash: *//p' | tr -d "'\"")
      c=$(git --git-dir "$m" rev-parse --verify -q "$c^{commit}" || true)
    fi
  fi
  if [ -z "$c" ]; then how=HEAD; c=$(git --git-dir "$m" rev-parse HEAD); fi
  d="$work/releases/$name"
  rm -rf "$d"; mkdir -p "$d"
  paths=$(git --git-dir "$m" ls-tree --name-only "$c" | grep -E '^(config|jobs|shared_job_templates|src)$' | grep -v '^src$' || true)
  # templates may be symlinks into other top-level directories (capi's shared_job_templates)
  git --git-dir "$m" archive "$c" $paths | tar -x -C "$d"
  echo "$name $v ${c:0:12} ($how)" >> "$work/versions.txt"
  echo "--release $d" >> "$work/release-args"
done
cat "$work/versions.txt"
