#!/usr/bin/env bash
# valgrind-captures.sh [CAPTURE...]: valgrind memcheck on `cellsurvey replay --json` of every
# shared capture (default: all of ../shared/captures/*/), on demand (hours on a busy machine).
# Fails on any memcheck error (invalid read/write, uninitialised value used, invalid free) or
# definite leak not in tests/valgrind.supp. Prints one line per capture and a summary; the last
# run's figures go in docs/reliability.md. Env: CELLSURVEY (binary, default build/cellsurvey),
# VG_TIMEOUT (seconds per capture, default 3600), OUT (log dir, default build/valgrind).
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CELLSURVEY:-$HERE/build/cellsurvey}
OUT=${OUT:-$HERE/build/valgrind}
command -v valgrind >/dev/null || { echo "valgrind-captures: apt-get install valgrind" >&2; exit 1; }
[ -x "$BIN" ] || { echo "valgrind-captures: build first ($BIN missing)" >&2; exit 1; }
caps=("$@")
if [ ${#caps[@]} -eq 0 ]; then
  for m in "$HERE"/../shared/captures/*/*.sigmf-meta; do caps+=("$m"); done
fi
mkdir -p "$OUT"
clean=0; bad=0; timeouts=0
for c in "${caps[@]}"; do
  name=$(basename "$c" .sigmf-meta)
  log="$OUT/$name.log"
  t0=$(date +%s)
  timeout "${VG_TIMEOUT:-3600}" valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=no \
    --suppressions="$HERE/tests/valgrind.supp" --log-file="$log" \
    "$BIN" replay --json "$c" >"$OUT/$name.json" 2>"$OUT/$name.err"
  rc=$?
  secs=$(( $(date +%s) - t0 ))
  errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
  cells=$(grep -c . "$OUT/$name.json")
  if [ $rc -eq 124 ]; then verdict="TIMEOUT"; timeouts=$((timeouts + 1))
  elif [ $rc -eq 0 ] && [ "${errs:-1}" = 0 ]; then verdict="clean"; clean=$((clean + 1))
  else verdict="ERRORS (rc $rc, ${errs:-?} errors: $log)"; bad=$((bad + 1)); fi
  printf '%-55s %5ss  %3s cells  %s\n' "$name" "$secs" "$cells" "$verdict"
done
echo "valgrind memcheck: ${#caps[@]} captures, $clean clean, $bad with errors, $timeouts timed out"
[ $bad -eq 0 ] && [ $timeouts -eq 0 ]
