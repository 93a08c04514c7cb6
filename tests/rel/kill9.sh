#!/usr/bin/env bash
# kill9.sh: durability under kill -9. Loops CS_KILL9_RUNS (default 50) times: starts a writer on
# one survey database (replay --db on shared captures; import and scan join when they exist),
# kills it with SIGKILL at a random moment, then checks PRAGMA integrity_check and foreign keys,
# and that every record the command had acknowledged (printed on stdout: with --db, replay prints
# a record only after its commit) is in the measurements table. The same database takes every
# kill, then a final uninterrupted run must still succeed on it.
set -u
BIN=${CELLSURVEY:-build/cellsurvey}
RUNS=${CS_KILL9_RUNS:-50}
SHARED=${CS_SHARED_CAPTURES:-../shared/captures}
T=${CS_TEST_TMP:-/tmp}/kill9
[ -d "$SHARED/gsm" ] && [ -d "$SHARED/lte" ] || { echo "SKIP: shared captures not found at $SHARED"; exit 77; }
command -v sqlite3 >/dev/null || { echo "kill9: sqlite3 (Debian package sqlite3) missing"; exit 1; }
rm -rf "$T"; mkdir -p "$T"
DB=$T/survey.db
caps=("$SHARED"/gsm/wb_gsm900_5msps "$SHARED"/gsm/gsm900_a60_snr10 "$SHARED"/lte/lte_pci101+205_25prb_2cells_snr20
      "$SHARED"/lte/lte_pci0_6prb_snr20 "$SHARED"/gsm_real/GSMSP_940.8Mhz_118 "$SHARED"/lte_real/f1815_s1.92_from_dimitri_rtlsdr)
writers=("replay")

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
start_writer() { # start_writer KIND OUT ERR: start it in the background; its pid in $pid
  case $1 in
    replay) "$BIN" replay --json --db "$DB" "${caps[@]}" >"$2" 2>"$3" & ;;
  esac
  pid=$!
}

# acked_missing OUT: count acknowledged records (complete stdout lines) not in the database
acked_missing() {
  python3 - "$DB" "$1" <<'PY'
import sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
data = open(out, encoding="utf-8", errors="replace").read()
lines = data.split("\n")[:-1]          # a line cut by the kill has no newline: not acknowledged
stored = set(r[0] for r in sqlite3.connect(db).execute("SELECT json FROM measurements"))
missing = [l for l in lines if l.strip() and l not in stored]
for l in missing[:3]: print("missing:", l[:200], file=sys.stderr)
print(len(lines), len(missing))
PY
}

fail=0
# the checker itself: an acknowledged line that is not stored must count as missing
sqlite3 "$DB" "CREATE TABLE measurements(json TEXT); INSERT INTO measurements VALUES ('{\"a\":1}');"
printf '{"a":1}\n{"b":2}\n{"cut":' >"$T/self"
[ "$(acked_missing "$T/self")" = "2 1" ] || { echo "FAIL: the acknowledged-record checker is broken"; exit 1; }
rm -f "$DB"
# a timing run (also checks that an uninterrupted run stores what it prints)
t0=$(now_ms)
start_writer replay "$T/out0" "$T/err0"; wait "$pid"; rc=$?
full_ms=$(( $(now_ms) - t0 + 1 ))
[ $rc -eq 0 ] || { echo "FAIL: uninterrupted replay exited $rc: $(cat "$T/err0")"; exit 1; }
read -r n0 miss0 < <(acked_missing "$T/out0")
echo "uninterrupted replay: ${full_ms} ms, $n0 records printed, $miss0 missing from the database"
[ "$miss0" -eq 0 ] || fail=$((fail + 1))

killed_running=0; acked_total=0; survived=0
for i in $(seq 1 "$RUNS"); do
  w=${writers[$((RANDOM % ${#writers[@]}))]}
  # kill within the first 3/4 of the timing run: later runs on a loaded machine can be faster
  delay=$(( (RANDOM * 32768 + RANDOM) % (full_ms * 3 / 4 + 1) ))
  start_writer "$w" "$T/out" "$T/err"
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if kill -0 "$pid" 2>/dev/null; then killed_running=$((killed_running + 1)); fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  ic=$(sqlite3 "$DB" "PRAGMA integrity_check;" 2>&1)
  fk=$(sqlite3 "$DB" "PRAGMA foreign_key_check;" 2>&1)
  read -r n miss < <(acked_missing "$T/out")
  acked_total=$((acked_total + n))
  if [ "$ic" != ok ] || [ -n "$fk" ] || [ "$miss" -ne 0 ]; then
    echo "FAIL run $i ($w killed after $delay ms): integrity '$ic', foreign keys '$fk', $miss of $n acknowledged records missing"
    fail=$((fail + 1))
  else
    survived=$((survived + 1))
  fi
done
# the database still takes a full run
start_writer replay "$T/outF" "$T/errF"; wait "$pid"; rc=$?
[ $rc -eq 0 ] || { echo "FAIL: replay after the kills exited $rc: $(cat "$T/errF")"; fail=$((fail + 1)); }
sessions=$(sqlite3 "$DB" "SELECT count(*) FROM sessions")
meas=$(sqlite3 "$DB" "SELECT count(*) FROM measurements")
echo "kill -9: $RUNS runs ($killed_running killed while writing), $survived survived with integrity ok and all $acked_total acknowledged records present; database: $sessions sessions, $meas measurements"
# the kills must land while the writer works, or this tests nothing
[ $killed_running -ge $((RUNS / 3)) ] || { echo "FAIL: only $killed_running kills landed mid-run"; fail=$((fail + 1)); }
[ $fail -eq 0 ]
