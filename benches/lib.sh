# Shared by the benchmark scripts: paths, the bale binary, and a timer.
# Sourced with the work directory as $1; $2 is the caller's default (empty: a new temp dir).
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${1:-$2}"
[ -n "$work" ] || work="$(mktemp -d)"
mkdir -p "$work"
BALE="${BALE:-$root/target/release/bale}"
[ -x "$BALE" ] || (cd "$root" && cargo build --release --quiet)

# t CMD...: seconds CMD took; its output goes to $work/last.log, shown if it fails.
t() {
  local s e
  s=$(date +%s.%N)
  "$@" > "$work/last.log" 2>&1 || { cat "$work/last.log" >&2; exit 1; }
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}
