#!/usr/bin/env bash
# spectrum_cli.sh: the `spectrum` command's contract on the bundled captures: JSON Lines fields
# with --raster gsm/lte, hackrf_sweep CSV layout, table, --band, --db, --help and usage errors
# (replay's too). The wideband GSM truth checks are in test_raster_gsm.
set -u
bundled=${CS_BUNDLED_CAPTURES:-captures}
bin=${CELLSURVEY:-build/cellsurvey}
tmp=${CS_TEST_TMP:-/tmp}/spectrum_cli
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=$((fail + 1)); fi; }
mkdir -p "$tmp"

for c in spectrum replay; do
  "$bin" $c --help >"$tmp/help" 2>&1
  check "$c --help exits 0" "[ $? -eq 0 ]"
  check "$c --help shows usage" "grep -q 'usage: cellsurvey $c' '$tmp/help'"
  check "$c --help explains exit status" "grep -q 'Exit status' '$tmp/help'"
  check "$c --help has no printf escapes" "! grep -q '%%' '$tmp/help'"
  "$bin" $c --no-such-option x >/dev/null 2>"$tmp/err"
  check "$c bad option exits 2" "[ $? -eq 2 ]"
  check "$c bad option names it" "grep -q 'no-such-option' '$tmp/err'"
  "$bin" $c >/dev/null 2>&1
  check "$c without capture exits 2" "[ $? -eq 2 ]"
done
"$bin" --help | grep -q spectrum; check "cellsurvey --help lists commands" "[ $? -eq 0 ]"
"$bin" spectrum --raster umts x >/dev/null 2>"$tmp/err"
check "bad --raster exits 2" "[ $? -eq 2 ] && grep -q 'gsm, lte or auto' '$tmp/err'"
"$bin" spectrum --band gsm1234 x >/dev/null 2>"$tmp/err"
check "bad --band exits 2" "[ $? -eq 2 ] && grep -q 'unknown band' '$tmp/err'"

# the bundled captures (captures/, in every clone)
gsm=$bundled/gsm900_a85_cfo-12k
lte=$bundled/lte_pci0_6prb_snr20
check "bundled captures present" "[ -f '$gsm.sigmf-meta' ] && [ -f '$lte.sigmf-meta' ]"

"$bin" spectrum --json --raster gsm "$gsm" >"$tmp/gsm.jsonl"
check "gsm json exits 0" "[ $? -eq 0 ]"
n=$(wc -l <"$tmp/gsm.jsonl")
check "3 GSM channels in 1.083 MHz around 952 MHz (got $n)" "[ $n -eq 3 ]"
for f in '"rat":"gsm"' '"band":"GSM900"' '"arfcn":' '"freq_hz":' '"power_dbfs":' '"occupied":'; do
  m=$(grep -c "$f" "$tmp/gsm.jsonl")
  check "every GSM row has $f" "[ $m -eq $n ]"
done
check "ARFCN 85 occupied" "grep -q '\"arfcn\":85,\"freq_hz\":952000000,.*\"occupied\":true' '$tmp/gsm.jsonl'"
check "ARFCN 84 empty" "grep -q '\"arfcn\":84,.*\"occupied\":false' '$tmp/gsm.jsonl'"
check "1 occupied" "[ \$(grep -c '\"occupied\":true' '$tmp/gsm.jsonl') -eq 1 ]"

"$bin" spectrum --json --raster gsm --band pcs1900 "$gsm" >"$tmp/pcs.jsonl"
check "--band pcs1900 on a 952 MHz capture: no rows, exit 0" "[ $? -eq 0 ] && [ ! -s '$tmp/pcs.jsonl' ]"
"$bin" spectrum --json --raster gsm "$lte" >/dev/null 2>"$tmp/err"
check "--raster gsm at 739 MHz exits 2 and says why" "[ $? -eq 2 ] && grep -q 'no GSM band' '$tmp/err'"

"$bin" spectrum --json --raster lte "$lte" >"$tmp/lte.jsonl"
check "lte json" "grep -q '\"rat\":\"lte\",\"band\":\"12\",\"earfcn\":5110,\"bandwidth_hz\":1400000,\"n_prb\":6,' '$tmp/lte.jsonl'"

"$bin" spectrum --csv "$gsm" >"$tmp/sweep.csv"
check "csv exits 0" "[ $? -eq 0 ]"
check "csv has 4 lines" "[ \$(wc -l <'$tmp/sweep.csv') -eq 4 ]"
check "csv layout: date, time, hz_low, hz_high, hz_bin_width, num_samples, dB..." \
  "! grep -Evq '^[0-9]{4}-[0-9]{2}-[0-9]{2}, [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}, [0-9]+, [0-9]+, [0-9.]+, [0-9]+(, -?[0-9]+\.[0-9]{2})+$' '$tmp/sweep.csv'"
# hz_high - hz_low = number of dB values * bin width
check "csv bins match span" "awk -F', ' '{ if (((\$4 - \$3) / \$5 - (NF - 6))^2 > 0.01) bad = 1 } END { exit bad }' '$tmp/sweep.csv'"

"$bin" spectrum "$gsm" >"$tmp/table"
check "table shows segment and occupied channels" "grep -q '^segment 0' '$tmp/table' && [ \$(grep -c occupied '$tmp/table') -eq 1 ]"

"$bin" replay "$gsm" "$lte" >"$tmp/replay.txt"
check "replay table lists the occupied channels per segment" \
  "grep -q 'segment 0, 952.0000 MHz.*GSM900 ARFCN 85' '$tmp/replay.txt' && grep -q 'LTE band 12 EARFCN 5110 1.4 MHz' '$tmp/replay.txt'"

rm -f "$tmp"/s.db*
"$bin" spectrum --raster gsm --db "$tmp/s.db" "$gsm" >/dev/null
check "spectrum --db exits 0" "[ $? -eq 0 ]"
if command -v sqlite3 >/dev/null; then
  check "3 rows stored" "[ \$(sqlite3 '$tmp/s.db' 'SELECT count(*) FROM spectrum') -eq 3 ]"
  check "1 occupied stored" "[ \$(sqlite3 '$tmp/s.db' 'SELECT count(*) FROM spectrum WHERE occupied') -eq 1 ]"
  check "WAL mode" "[ \$(sqlite3 '$tmp/s.db' 'PRAGMA journal_mode') = wal ]"
fi
echo "garbage" >"$tmp/bad.db"
"$bin" spectrum --db "$tmp/bad.db" "$gsm" >/dev/null 2>"$tmp/err"
check "corrupt --db exits 2 naming it" "[ $? -eq 2 ] && grep -q 'bad.db' '$tmp/err'"
"$bin" replay --db "$tmp/bad.db" "$gsm" >/dev/null 2>"$tmp/err"
check "replay corrupt --db exits 2 naming it" "[ $? -eq 2 ] && grep -q 'bad.db' '$tmp/err'"
"$bin" replay --db "$tmp/bad.db/x.db" "$gsm" >/dev/null 2>"$tmp/err"
check "replay unwritable --db exits 1" "[ $? -eq 1 ] && grep -q 'cannot open' '$tmp/err'"
echo "$fail failures"
[ $fail -eq 0 ]
