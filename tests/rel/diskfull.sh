#!/usr/bin/env bash
# diskfull.sh: a survey database on a small tmpfs that fills up. Writers (replay --db, spectrum
# --db) run until one fails; it must exit 1 (environment) with a message saying the disk is full
# and naming the database, never a signal; the database must pass integrity_check with every
# acknowledged record present; once space returns the next run must succeed on the same file.
# Needs root (mount); skips (77) where mounting is not permitted.
set -u
BIN=${CELLSURVEY:-build/cellsurvey}
SHARED=${CS_SHARED_CAPTURES:-../shared/captures}
T=${CS_TEST_TMP:-/tmp}/diskfull
[ -d "$SHARED/gsm" ] || { echo "SKIP: shared captures not found at $SHARED"; exit 77; }
mkdir -p "$T/mnt"
mountpoint -q "$T/mnt" && umount "$T/mnt"
if ! mount -t tmpfs -o size=1m,mode=0755 cellsurvey-diskfull "$T/mnt" 2>"$T/mount.err"; then
  echo "SKIP: cannot mount a tmpfs ($(cat "$T/mount.err")); run as root where mount is permitted"
  exit 77
fi
trap 'umount "$T/mnt" 2>/dev/null' EXIT
DB=$T/mnt/survey.db
caps=("$SHARED"/gsm/wb_gsm900_5msps "$SHARED"/gsm/wb_gsm850_2msps_2s "$SHARED"/lte/lte_pci101+205_25prb_2cells_snr20)
fail=0
# leave about 160 KB free
avail=$(df --output=avail -B1 "$T/mnt" | tail -1)
head -c $((avail - 160 * 1024)) /dev/zero >"$T/mnt/filler" 2>/dev/null

full=0
for i in $(seq 1 400); do
  if [ $((i % 2)) -eq 0 ]; then
    "$BIN" replay --json --db "$DB" "${caps[@]}" >"$T/out" 2>"$T/err"
  else
    "$BIN" spectrum --json --raster gsm --db "$DB" "${caps[0]}" >/dev/null 2>"$T/err"
    : >"$T/out"
  fi
  rc=$?
  [ $rc -eq 0 ] && continue
  full=1
  echo "run $i failed with exit $rc: $(cat "$T/err")"
  [ $rc -eq 1 ] || { echo "FAIL: want exit 1 (environment)"; fail=$((fail + 1)); }
  grep -qi 'disk full\|no space' "$T/err" && grep -q survey.db "$T/err" || { echo "FAIL: message does not say disk full / name the database"; fail=$((fail + 1)); }
  [ "$(wc -l <"$T/err")" -le 3 ] || { echo "FAIL: more than 3 lines on stderr"; fail=$((fail + 1)); }
  break
done
[ $full -eq 1 ] || { echo "FAIL: the disk never filled"; exit 1; }
ic=$(sqlite3 "$DB" "PRAGMA integrity_check;" 2>&1)
[ "$ic" = ok ] || { echo "FAIL: integrity_check on the full disk: $ic"; fail=$((fail + 1)); }
missing=$(python3 - "$DB" "$T/out" <<'PY'
import sqlite3, sys
lines = open(sys.argv[2]).read().split("\n")[:-1]
stored = set(r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT json FROM measurements"))
print(sum(1 for l in lines if l.strip() and l not in stored))
PY
)
[ "$missing" = 0 ] || { echo "FAIL: $missing acknowledged records missing"; fail=$((fail + 1)); }
before=$(sqlite3 "$DB" "SELECT count(*) FROM sessions")
# space returns
rm -f "$T/mnt/filler"
"$BIN" replay --json --db "$DB" "${caps[@]}" >"$T/out" 2>"$T/err" || { echo "FAIL: no recovery after space returned: $(cat "$T/err")"; fail=$((fail + 1)); }
ic=$(sqlite3 "$DB" "PRAGMA integrity_check;" 2>&1)
after=$(sqlite3 "$DB" "SELECT count(*) FROM sessions")
[ "$ic" = ok ] && [ "$after" -gt "$before" ] || { echo "FAIL: after recovery: integrity '$ic', sessions $before -> $after"; fail=$((fail + 1)); }
echo "disk full after $i runs; database valid; recovered: sessions $before -> $after; $fail failures"
[ $fail -eq 0 ]
