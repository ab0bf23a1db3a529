#!/usr/bin/env bash
# Records what `create-release`, `blobs` and `upload-blobs` print (stdout, stderr and exit
# code, plain with stdout not a terminal, and --json) where bale and the CLI once differed:
# a final build that must come from the blobstore and cannot, a final upload that fails,
# config/blobs.yml sizes the CLI refuses, keys with an empty segment, and the order of the
# summary tables.
#
#   BOSH=/path/to/bosh ./record.sh OUT_DIR
#
# The release is ../golden/ci-output/inputs with a final release made by $BOSH into a local
# blobstore; ~/.bosh/cache and .dev_builds are then emptied (a fresh clone on a new machine).
# Each case changes one thing. Paths of the work dir are replaced with <WORK>. The recorded
# outputs of the real CLI v7.4.0 are in expected/; tests/cli/dropin.rs replays this script
# with bale as BOSH and compares.
set -u -o pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BOSH="${BOSH:-bosh}"
OUT="$1"; mkdir -p "$OUT"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
export TZ=UTC LC_ALL=C GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@example.com
export GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z"
IN="$HERE/../golden/ci-output/inputs"

# setup CASE: a release with a final release 1 in $WORK/CASE/blobstore, cache and dev builds gone
setup() {
  local d="$WORK/$1"
  mkdir -p "$d/home" "$d/blobstore"; cp -a "$IN" "$d/release"; local r="$d/release"
  mv "$r/dot-gitignore" "$r/.gitignore"; rm -rf "$r/blob-sources"
  (cd "$r" && git init -q -b main . && git add -A && git commit -q -m inputs
   HOME="$d/home" "$BOSH" -n add-blob "$IN/blob-sources/runner-1.0.tar.gz" runner/runner-1.0.tar.gz
   HOME="$d/home" "$BOSH" -n add-blob "$IN/blob-sources/words.txt" assets/words.txt
   HOME="$d/home" "$BOSH" -n upload-blobs
   git add -A && git commit -q -m blobs
   HOME="$d/home" "$BOSH" -n create-release --final
   git add -A && git commit -q -m final) > /dev/null || { echo "setup of $1 failed" >&2; exit 1; }
  rm -rf "$d/home/.bosh/cache" "$r/.dev_builds" "$r/dev_releases"
}

# object_of CASE KIND NAME: the blobstore object of a final build
object_of() { sed -n 's/^ *blobstore_id: //p' "$WORK/$1/release/.final_builds/$2/$3/index.yml" | head -1; }

# run STEP CASE MODE args...: from CASE's release dir, stdout not a terminal; saved as
# STEP.MODE.{out,err,rc}; the cache and dev builds are emptied after
run() {
  local st="$1" c="$2" m="$3" f=(-n); shift 3
  [ "$m" = json ] && f+=(--json)
  (cd "$WORK/$c/release" && HOME="$WORK/$c/home" "$BOSH" "${f[@]}" "$@") \
    < /dev/null > "$OUT/$st.$m.out.raw" 2> "$OUT/$st.$m.err.raw"
  echo "$?" > "$OUT/$st.$m.rc"
  for s in out err; do sed "s#$WORK#<WORK>#g" "$OUT/$st.$m.$s.raw" > "$OUT/$st.$m.$s"; rm "$OUT/$st.$m.$s.raw"; done
  rm -rf "$WORK/$c/home/.bosh/cache" "$WORK/$c/release/.dev_builds" "$WORK/$c/release/dev_releases"
}

# both STEP CASE args...: plain, then --json
both() { local st="$1" c="$2"; shift 2; run "$st" "$c" plain "$@"; run "$st" "$c" json "$@"; }

# 1. a package's object is missing from the blobstore: the other builds download, this one fails
setup missing-package; rm "$WORK/missing-package/blobstore/$(object_of missing-package packages runner)"
both missing-package missing-package create-release

# 2. one worker (--parallel 1): the first failure ends the run, nothing after it is downloaded
setup first-failure-stops; rm "$WORK/first-failure-stops/blobstore/$(object_of first-failure-stops jobs server)"
both first-failure-stops first-failure-stops create-release --parallel 1

# 3. an object whose bytes do not match the digest the final index records
setup digest-mismatch; echo corrupted >> "$WORK/digest-mismatch/blobstore/$(object_of digest-mismatch packages libz)"
both digest-mismatch digest-mismatch create-release --tarball="$WORK/digest-mismatch/out.tgz"

# 4. the blobstore is gone altogether; two workers, each stops at its first failure
setup blobstore-gone; mv "$WORK/blobstore-gone/blobstore" "$WORK/blobstore-gone/elsewhere"
both blobstore-gone blobstore-gone create-release --parallel 2

# 5. config/blobs.yml sizes that do not fit the CLI's int64, or are not numbers
setup sizes
for s in 9223372036854775808 18446744073709551616 abc '"17"'; do
  n="size-$(printf '%s' "$s" | sed 's/"\(.*\)"/quoted-\1/')"
  mkdir -p "$WORK/$n"; cp -a "$WORK/sizes/." "$WORK/$n/"
  sed -i "0,/size: 17/s//size: $s/" "$WORK/$n/release/config/blobs.yml"
  both "$n-blobs" "$n" blobs
  both "$n-create-release" "$n" create-release --force
done
# 6. summary tables sort by `name/fingerprint` as text: job `worker` after `worker-b`
setup sort-order; r="$WORK/sort-order/release"
cp -a "$r/jobs/worker" "$r/jobs/worker-b"; sed -i 's/^name: worker$/name: worker-b/' "$r/jobs/worker-b/spec"
cp -a "$r/packages/libz" "$r/packages/libz-b"; sed -i 's/^name: libz$/name: libz-b/' "$r/packages/libz-b/spec"
(cd "$r" && git add -A && git commit -q -m "names sharing a prefix")
both sort-order sort-order create-release

# 7. a blobs.yml key with an empty segment (jumpbox-boshrelease has them): the file is
# blobs/assets/words.txt, the key stays as written; not yet uploaded
setup double-slash; r="$WORK/double-slash/release"
sed -i -e 's#^assets/words.txt:#assets//words.txt:#' "$r/config/blobs.yml"
awk '/^assets\/\/words.txt:/{k=1} /^[^ ]/ && !/^assets\/\/words.txt:/{k=0} !(k && /object_id/)' "$r/config/blobs.yml" > "$r/config/blobs.yml.new"
mv "$r/config/blobs.yml.new" "$r/config/blobs.yml"
(cd "$r" && git add -A && git commit -q -m "key with //")
cp -a "$WORK/double-slash" "$WORK/double-slash-json"
both double-slash-blobs double-slash blobs
run double-slash-upload-blobs double-slash plain upload-blobs
run double-slash-upload-blobs double-slash-json json upload-blobs
grep -c '^assets//words.txt:' "$WORK/double-slash/release/config/blobs.yml" > "$OUT/double-slash-key-kept.txt"
both double-slash-blobs-after-upload double-slash blobs
both double-slash-create-release double-slash create-release --force

# 8. a final release whose upload fails (the blobstore path is a file): one worker, the
# first new job's upload fails and ends the run; the other builds come from the cache
for c in upload-fails upload-fails-json; do
  setup $c; r="$WORK/$c/release"
  (cd "$r" && HOME="$WORK/$c/home" "$BOSH" -n create-release --force > /dev/null)
  echo "# changed" >> "$r/jobs/server/monit"
  (cd "$r" && git add -A && git commit -q -m "server changed")
  echo "not a directory" > "$WORK/$c/notadir"
  sed -i 's#blobstore_path: .*#blobstore_path: ../notadir#' "$r/config/final.yml"
  (cd "$r" && git add -A && git commit -q -m "blobstore path is a file")
done
run upload-fails upload-fails plain create-release --final --force --parallel 1
run upload-fails upload-fails-json json create-release --final --force --parallel 1
exit 0
