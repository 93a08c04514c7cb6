#!/usr/bin/env bash
# coarsen.sh: `export --coarsen METRES` shares coverage without precise tracks. A synthetic walk
# (measurements every ~7 m and track points, imported from JSON Lines) exported as CSV and
# GeoJSON: without the option the precise positions are there; with --coarsen 500 every
# position is a 500 m cell centre (distinct positions collapse to a handful, each within the cell
# of its original point), no track point, no altitude, times on the hour; a bad value is exit 2.
set -u
BIN=${CELLSURVEY:-build/cellsurvey}
T=${CS_TEST_TMP:-/tmp}/coarsen
rm -rf "$T"; mkdir -p "$T"
python3 - "$T/walk.jsonl" <<'PY'
import json, sys, math
out = open(sys.argv[1], "w")
lat0, lon0 = 3.12345, 32.98765          # a settlement-sized walk, about 2 km
for i in range(300):
    lat = lat0 + i * 6.1e-5; lon = lon0 + 2e-3 * math.sin(i / 20)
    t = "2026-11-28T%02d:%02d:%02d.250Z" % (8 + i // 3600, (i // 60) % 60, i % 60)
    out.write(json.dumps({"time": t, "lat": round(lat, 7), "lon": round(lon, 7), "alt": 1100.5, "fix_mode": 3}) + "\n")
    out.write(json.dumps({"time": t, "lat": round(lat, 7), "lon": round(lon, 7), "alt": 1100.5, "fix_mode": 3,
        "rat": "gsm", "band": "GSM900", "arfcn": 60, "mcc": "641", "mnc": "01", "lac": 100, "cell_id": 1234,
        "bsic": 12, "power_dbfs": -40 - i * 0.05, "power_dbm": -70 - i * 0.05, "calibrated": True}) + "\n")
PY
fail=0
"$BIN" import --db "$T/s.db" "$T/walk.jsonl" 2>"$T/err" || { echo "FAIL: import: $(cat "$T/err")"; exit 1; }
"$BIN" export --db "$T/s.db" --format csv --out "$T/precise.csv" 2>/dev/null || { echo "FAIL: export"; exit 1; }
"$BIN" export --db "$T/s.db" --format csv --coarsen 500 --out "$T/coarse.csv" 2>"$T/err" || { echo "FAIL: export --coarsen: $(cat "$T/err")"; exit 1; }
"$BIN" export --db "$T/s.db" --format geojson --coarsen 500 --out "$T/coarse.geojson" 2>"$T/err" || { echo "FAIL: geojson --coarsen: $(cat "$T/err")"; exit 1; }
"$BIN" export --db "$T/s.db" --format csv --coarsen 5 --out "$T/x.csv" 2>/dev/null; [ $? -eq 2 ] || { echo "FAIL: --coarsen 5 accepted"; fail=1; }
python3 - "$T/precise.csv" "$T/coarse.csv" "$T/coarse.geojson" "$T/walk.jsonl" <<'PY' || fail=1
import csv, json, math, sys
precise = list(csv.DictReader(open(sys.argv[1])))
coarse = list(csv.DictReader(open(sys.argv[2])))
orig = [json.loads(l) for l in open(sys.argv[4])]
meas = [o for o in orig if "rat" in o]
bad = []
pp = {(r["lat"], r["lon"]) for r in precise}
cp = {(r["lat"], r["lon"]) for r in coarse}
if len(pp) < 250: bad.append("the precise export has only %d positions (test premise)" % len(pp))
if len(cp) > 20: bad.append("%d distinct positions after --coarsen 500" % len(cp))
if any(r["kind"] != "measurement" if "kind" in r else False for r in coarse): bad.append("track points exported")
if len(coarse) != len(meas): bad.append("%d rows, want the %d measurements" % (len(coarse), len(meas)))
for r, o in zip(coarse, meas):
    dy = (float(r["lat"]) - o["lat"]) * 111320
    dx = (float(r["lon"]) - o["lon"]) * 111320 * math.cos(math.radians(o["lat"]))
    if abs(dy) > 250.01 or abs(dx) > 250.01: bad.append("point moved %.0f/%.0f m, beyond its cell" % (dx, dy)); break
    if r["alt"] not in ("", "nan", "NaN"): bad.append("altitude kept: %s" % r["alt"]); break
    if not r["time"].endswith(":00:00Z") and not r["time"].endswith(":00:00.000Z"): bad.append("time not on the hour: %s" % r["time"]); break
g = json.load(open(sys.argv[3]))
pts = {tuple(f["geometry"]["coordinates"][:2]) for f in g["features"] if f["geometry"]["type"] == "Point" and f["properties"].get("kind", "measurement") in ("measurement", "observation", "point")}
for c in pts:
    if any(abs(c[0] - o["lon"]) < 1e-6 and abs(c[1] - o["lat"]) < 1e-6 for o in meas): bad.append("GeoJSON holds a precise position %s" % (c,)); break
print("precise: %d positions; coarse: %d positions in %d rows; GeoJSON points %d" % (len(pp), len(cp), len(coarse), len(pts)))
for b in bad: print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
[ $fail -eq 0 ] && echo ok
exit $fail
