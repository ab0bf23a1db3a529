#!/usr/bin/env bash
# regen.sh BOSH -- records the real bosh CLI's output for every case of
# testdata/interpolate/cases.txt into testdata/interpolate/expected/NAME.{stdout,stderr,exit}.
# Each case runs in testdata/interpolate/inputs with the environment tests/cli/interpolate.rs
# sets; the inputs folder's absolute path is stored as $INPUTS so the cases replay anywhere.
# BOSH is the CLI v7.4.0 built by shared/tools/build-reference-clis (never committed).
set -eu
bosh=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/testdata/interpolate
inputs=$data/inputs
mkdir -p "$data/expected"
rm -f "$data/expected"/*
n=0
while IFS= read -r line; do
  case $line in '#'*|'') continue;; esac
  IFS=$'\t' read -r -a fields <<<"$line"
  name=${fields[0]}
  args=("${fields[@]:1}")
  (
    cd "$inputs"
    set +e
    env -i PATH=/usr/bin:/bin HOME=/nonexistent IV_name=from-env 'IV_list=[1, 2]' \
      "$bosh" "${args[@]}" >"$data/expected/$name.stdout" 2>"$data/expected/$name.stderr"
    echo $? >"$data/expected/$name.exit"
  )
  for f in stdout stderr; do
    sed -i "s#$inputs#\$INPUTS#g" "$data/expected/$name.$f"
  done
  n=$((n + 1))
done <"$data/cases.txt"
echo "recorded $n cases"
