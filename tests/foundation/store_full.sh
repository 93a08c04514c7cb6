#!/usr/bin/env bash
# store_full.sh: a survey database on a full disk. In a private mount namespace a 1 MB tmpfs holds
# the database; after a first run is stored, the disk is filled and a long replay must stop with
# exit 1 and a "disk full" message naming the database, and every row committed before (the whole
# first session and the segments committed before the disk filled) must still be there, with the
# database intact. Skips (77) where mount namespaces are not allowed.
set -u
bin=${CELLSURVEY:-build/cellsurvey}
tmp=${CS_TEST_TMP:-/tmp}/store_full
mkdir -p "$tmp/mnt"
if ! command -v sqlite3 >/dev/null || ! unshare -m true 2>/dev/null; then
  echo "SKIP: needs sqlite3 and unshare -m (root or user namespaces)"
  exit 77
fi
# a 20 Msps ci8 noise capture at 940 MHz: about 90 GSM channels per run
head -c 131072 /dev/urandom >"$tmp/noise.sigmf-data"
cat >"$tmp/noise.sigmf-meta" <<'JSON'
{"global":{"core:datatype":"ci8","core:sample_rate":20000000,"core:version":"1.0.0"},
 "captures":[{"core:sample_start":0,"core:frequency":940000000}],"annotations":[]}
JSON
export bin tmp
unshare -m bash -c '
  set -u
  mount -t tmpfs -o size=1m tmpfs "$tmp/mnt" || { echo "SKIP: cannot mount tmpfs"; exit 77; }
  db=$tmp/mnt/survey.db
  "$bin" spectrum --raster gsm --db "$db" "$tmp/noise" >/dev/null || { echo "FAIL: first run"; exit 1; }
  first=$(sqlite3 "$db" "SELECT count(*) FROM spectrum")
  [ "$first" -gt 50 ] || { echo "FAIL: first run stored $first rows"; exit 1; }
  # fill the disk, leaving about 100 kB
  dd if=/dev/zero of="$tmp/mnt/fill" bs=4k count=100000 2>/dev/null
  rm -f "$tmp/mnt/fill"; dd if=/dev/zero of="$tmp/mnt/fill" bs=4k count=$(( $(df -k --output=avail "$tmp/mnt" | tail -1) / 4 - 25 )) 2>/dev/null
  args=(); for i in $(seq 300); do args+=("$tmp/noise"); done
  "$bin" replay --db "$db" "${args[@]}" >/dev/null 2>"$tmp/err"
  rc=$?
  echo "replay on a full disk: exit $rc: $(grep -v ": warning: " "$tmp/err")"
  fail=0
  [ $rc -eq 1 ] || { echo "FAIL: exit $rc, want 1"; fail=1; }
  grep -q "disk full" "$tmp/err" || { echo "FAIL: no disk full message"; fail=1; }
  grep -q "survey.db" "$tmp/err" || { echo "FAIL: message does not name the database"; fail=1; }
  [ $(grep -vc ": warning: " "$tmp/err") -eq 1 ] || { echo "FAIL: more than one error line"; fail=1; }
  rm -f "$tmp/mnt/fill"
  [ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ] || { echo "FAIL: database damaged"; fail=1; }
  kept=$(sqlite3 "$db" "SELECT count(*) FROM spectrum WHERE session_id = 1")
  [ "$kept" -eq "$first" ] || { echo "FAIL: first session has $kept rows, want $first"; fail=1; }
  later=$(sqlite3 "$db" "SELECT count(*) FROM spectrum WHERE session_id = 2")
  echo "second session kept $later rows committed before the disk filled"
  [ $((later % first)) -eq 0 ] || { echo "FAIL: a partial segment ($later rows) was committed"; fail=1; }
  exit $fail
'
