#!/usr/bin/env bash
# e2e_report.sh: the offline HTML report in headless Chromium (Debian chromium): loads with no
# console message, renders (non-blank screenshot, checked with GDAL's statistics), and its tables
# hold the store's cells.
set -euo pipefail
B=${CELLSURVEY:?} ; GEN=$CS_BUILD_DIR/tests/map_synth_gen ; CHECK=$CS_SOURCE_DIR/tests/map/check_map.py
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM not installed (Debian package chromium; scripts/setup.sh)"; exit 77; }
for tool in python3 gdalinfo; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
T=$CS_TEST_TMP/map_report; rm -rf "$T"; mkdir -p "$T"; cd "$T"
$GEN drive.jsonl truth.json
$B import --db kit.db drive.jsonl 2>/dev/null
$GEN --spectrum kit.db
$B report --db kit.db --out rep
$B cells --db kit.db --json > cells.json
[ -s rep/index.html ]

PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --user-data-dir="$PROFILE" --enable-logging=stderr --v=0)
timeout 120 "$CHROMIUM" "${flags[@]}" --dump-dom "file://$T/rep/index.html" > dom.html 2> dom.log
timeout 120 "$CHROMIUM" "${flags[@]}" --window-size=1200,2000 --screenshot="$T/shot.png" "file://$T/rep/index.html" 2> shot.log
if grep -h 'CONSOLE' dom.log shot.log; then echo "FAIL: console messages while loading the report"; exit 1; fi
[ -s shot.png ]
python3 "$CHECK" report dom.html cells.json
# non-blank: the screenshot's pixel values vary (a blank page has a standard deviation of 0)
gdalinfo -stats shot.png > shot.txt
python3 - <<'PY'
import re
sd = [float(x) for x in re.findall(r"STATISTICS_STDDEV=([0-9.]+)", open("shot.txt").read())]
mins = [float(x) for x in re.findall(r"STATISTICS_MINIMUM=([0-9.]+)", open("shot.txt").read())]
assert sd and min(sd[:3]) > 10, sd
assert min(mins[:3]) < 100, mins   # dark pixels: text, track, sites
print("screenshot ok: stddev per band", sd)
PY
# a store without positions (a replay without GPS): no map, but spectrum and cells, still clean
$GEN --spectrum spec_only.db
$B report --db spec_only.db --out rep_nopos
grep -q 'no record has a position' rep_nopos/index.html
grep -q '<svg class="plot"' rep_nopos/index.html
! grep -q '<svg class="map"' rep_nopos/index.html
timeout 120 "$CHROMIUM" "${flags[@]}" --dump-dom "file://$T/rep_nopos/index.html" > dom2.html 2> dom2.log
if grep -h 'CONSOLE' dom2.log; then echo "FAIL: console messages (report without positions)"; exit 1; fi
grep -q 'Coverage summary' dom2.html

if [ -n "${CS_REPORT_SHOT:-}" ]; then cp shot.png "$CS_REPORT_SHOT"; fi
echo "e2e_report: ok"
