#!/bin/sh
# Regenerates expected/ from the reference renderer (shared/tools/erb-oracle.rb, Ruby):
# bale writes each instance job's context (instance spec, bound links, DNS tables), the
# oracle renders the job with it. CI compares `bale render-deployment` with expected/ and
# needs no Ruby. Usage: testdata/deployment/gen.sh [path/to/erb-oracle.rb]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
oracle=${1:-/work/shared/tools/erb-oracle.rb}
bale=${BALE:-$here/../../target/debug/bale}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bale" render-deployment "$here/shop.yml" --release "$here/shop-release" \
  -v greeting=hi --write-contexts "$tmp/ctx" >/dev/null
rm -rf "$here/expected"
for ctx in $(cd "$tmp/ctx" && find . -name '*.json' | sort); do
  rel=${ctx#./}; rel=${rel%.json}          # group/index/job
  job=${rel##*/}
  ruby "$oracle" --job-dir "$here/shop-release/jobs/$job" --context "$tmp/ctx/$rel.json" \
    --out "$here/expected/$rel" --links-json
done
echo "expected/: $(find "$here/expected" -type f | wc -l) files"
