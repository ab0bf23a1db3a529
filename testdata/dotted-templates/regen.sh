#!/bin/sh
# Rebuilds expected.txt with the real bosh CLI (v7.4.0): the job fingerprint and the job
# archive's entries for a job spec whose templates keys are written as `./bin/ctl.erb` and
# `conf//app.yml.erb` (Go cleans them; bale must fingerprint and archive them the same way).
#   BOSH=/path/to/bosh sh testdata/dotted-templates/regen.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cp -R "$here/release" "$t/rel"
cd "$t/rel"
git init -q . && git add -A && git -c user.email=x@y -c user.name=x commit -qm fixture
HOME="$t/home" "${BOSH:-bosh}" create-release --tarball "$t/r.tgz" >/dev/null
{
  grep '  fingerprint:' dev_releases/dotted/dotted-0+dev.1.yml | sed 's/^ *//'
  tar -xzOf "$t/r.tgz" jobs/dotted.tgz | tar -tz | sort
} >"$here/expected.txt"
