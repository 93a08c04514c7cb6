#!/usr/bin/env bash
# captures_replay.sh: every capture in ../shared/captures replays (and measures its spectrum)
# without error: exit 0, no error line on stderr (warnings such as clipping are allowed), and
# `replay --db` stores one spectrum session per run.
set -u
root=${CS_SHARED_CAPTURES:-../shared/captures}
bin=${CELLSURVEY:-build/cellsurvey}
tmp=${CS_TEST_TMP:-/tmp}/captures_replay
if [ ! -d "$root" ]; then
  echo "SKIP: shared captures not found at $root (a fresh clone has no ../shared; CI has it)"
  exit 77
fi
mkdir -p "$tmp"
rm -f "$tmp"/all.db*
fail=0 n=0
for meta in "$root"/*/*.sigmf-meta; do
  n=$((n + 1))
  for cmd in "replay --json" "spectrum --json"; do
    # shellcheck disable=SC2086
    "$bin" $cmd "$meta" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 0 ] || grep -v ': warning: ' "$tmp/err" | grep -q .; then
      echo "FAIL: cellsurvey $cmd $meta: exit $rc: $(cat "$tmp/err")"
      fail=$((fail + 1))
    fi
    # every output line is a JSON object
    if grep -qv '^{.*}$' "$tmp/out"; then
      echo "FAIL: cellsurvey $cmd $meta wrote a line that is not a JSON object"
      fail=$((fail + 1))
    fi
  done
done
# all captures in one replay into one database
"$bin" replay --db "$tmp/all.db" "$root"/*/*.sigmf-meta >/dev/null 2>"$tmp/err" || { echo "FAIL: replay --db: $(cat "$tmp/err")"; fail=$((fail + 1)); }
if command -v sqlite3 >/dev/null; then
  rows=$(sqlite3 "$tmp/all.db" "SELECT count(*) FROM spectrum")
  sessions=$(sqlite3 "$tmp/all.db" "SELECT count(*) FROM sessions WHERE ended IS NOT NULL")
  [ "$rows" -gt 0 ] || { echo "FAIL: no spectrum rows stored"; fail=$((fail + 1)); }
  [ "$sessions" -eq 1 ] || { echo "FAIL: $sessions finished sessions, want 1"; fail=$((fail + 1)); }
fi
[ "$n" -gt 20 ] || { echo "FAIL: only $n captures found under $root"; fail=$((fail + 1)); }
echo "$n captures, $fail failures"
[ $fail -eq 0 ]
