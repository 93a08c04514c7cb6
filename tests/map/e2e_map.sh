#!/usr/bin/env bash
# e2e_map.sh: import -> grid -> cells -> export on the synthetic drive test (tests/map/synth.c):
# bad lines reported by line number and skipped, the planted hole classed none, bins near sites
# served, site estimates within 150 m median, exports that validate (python3 json, xmllint,
# OpenCelliD rules, gdalinfo).
set -euo pipefail
B=${CELLSURVEY:?} ; GEN=$CS_BUILD_DIR/tests/map_synth_gen ; CHECK=$CS_SOURCE_DIR/tests/map/check_map.py
for tool in python3 xmllint gdalinfo; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not installed (scripts/setup.sh installs it)"; exit 77; }
done
T=$CS_TEST_TMP/map_e2e; rm -rf "$T"; mkdir -p "$T"; cd "$T"

$GEN drive.jsonl truth.json
printf '%s\n' '{"time":"2026-11-20T09:00:00Z","lat":3.03,"lon":31.8}' 'not json at all' \
  '{"time":"yesterday","lat":3.03,"lon":31.8}' '' '{"time":"2026-11-20T09:00:01Z","lat":3.03,"lon":31.8,"rat":"umts"}' \
  '{"time":"2026-11-20T09:00:02+03:00","lat":3.0301,"lon":31.8001,"rat":"gsm","mcc":"641","mnc":"10","lac":3301,"cell_id":10101,"bsic":21,"arfcn":62,"power_dbm":-70.5}' \
  > extra.jsonl
$B import --db kit.db drive.jsonl extra.jsonl 2> import.err
cat import.err
grep -q 'extra.jsonl:2: line 2 skipped: not valid JSON' import.err
grep -q 'extra.jsonl:3: line 3 skipped: "time" "yesterday" is not RFC 3339' import.err
grep -q 'extra.jsonl:5: line 5 skipped: "rat" "umts"' import.err
[ "$(grep -c skipped: import.err)" -eq 3 ]
n_in=$(python3 -c "import json; print(json.load(open('truth.json'))['lines'])")
grep -q "$((n_in - 4712 + 1)) records and 4713 track points imported, 3 bad lines skipped" import.err

# a missing input is an input error (exit 2) naming it
set +e; $B import --db kit.db nope.jsonl 2> nope.err; rc=$?; set -e
[ $rc -eq 2 ] && grep -q 'nope.jsonl' nope.err

$B grid --db kit.db --cell-size 100 --geojson grid.geojson --gaps-json gaps.json | tee gaps.txt
grep -q '^641-01    lte' gaps.txt
python3 "$CHECK" grid grid.geojson gaps.json truth.json

# filters and options
$B grid --db kit.db --cell-size 250 --operator 641-10 --rat gsm --geojson g250.geojson --json > gaps250.json
python3 - <<'PY'
import json
g = json.load(open("g250.geojson")); r = json.load(open("gaps250.json"))
assert {(f["properties"]["operator"], f["properties"]["rat"]) for f in g["features"]} == {("641-10", "gsm")}
assert all(f["properties"]["cell_size_m"] == 250 for f in g["features"])
assert len(r["operators"]) == 1 and r["cell_size_m"] == 250
print("filters ok:", len(g["features"]), "bins of 250 m")
PY
# stricter thresholds turn strong into variable, never the other way
$B grid --db kit.db --strong-lte -80 --geojson strict.geojson > /dev/null
python3 - <<'PY'
import json
a = {(f["properties"]["bin_x"], f["properties"]["bin_y"], f["properties"]["operator"], f["properties"]["rat"]): f["properties"]["class"] for f in json.load(open("grid.geojson"))["features"]}
b = {(f["properties"]["bin_x"], f["properties"]["bin_y"], f["properties"]["operator"], f["properties"]["rat"]): f["properties"]["class"] for f in json.load(open("strict.geojson"))["features"]}
lte_strong = sum(1 for k, v in a.items() if k[3] == "lte" and v == "strong")
strict_strong = sum(1 for k, v in b.items() if k[3] == "lte" and v == "strong")
assert strict_strong < lte_strong, (strict_strong, lte_strong)
assert all(b[k] == a[k] for k in a if k[3] == "gsm")
print("thresholds ok: LTE strong bins", lte_strong, "->", strict_strong)
PY
for bad in "--cell-size 10" "--cell-size 2000" "--rat umts" "--operator 64101"; do
  set +e; $B grid --db kit.db $bad --geojson x.geojson 2>/dev/null; rc=$?; set -e
  [ $rc -eq 2 ] || { echo "grid $bad: exit $rc, want 2"; exit 1; }
done

$B cells --db kit.db | tee cells.txt
grep -q 'heard from 2 places' cells.txt
$B cells --db kit.db --json > cells.json
python3 "$CHECK" cells cells.json truth.json

mkdir -p ex
for f in opencellid cellmapper csv geojson kml geotiff; do
  $B export --db kit.db --format $f --out ex/out.$f 2> ex/$f.err
  cat ex/$f.err
done
python3 "$CHECK" exports ex truth.json 2  # + the two good lines of extra.jsonl
xmllint --noout ex/out.kml
grep -c '<Placemark>' ex/out.kml
gdalinfo -json ex/out.geotiff > ex/tiff.json
python3 - <<'PY'
import json
d = json.load(open("ex/tiff.json"))
bands = d["bands"]
assert len(bands) == 6, len(bands)
assert "32636" in json.dumps(d["coordinateSystem"]), "UTM 36N"
descs = [b.get("description") for b in bands]
assert "641-01 lte median_dbm" in descs and "641-10 gsm class" in descs, descs
assert all(b.get("noDataValue") == -9999 for b in bands)
print("geotiff ok:", d["size"], descs)
PY
# band 2 is 641-01 lte class: its pixels count the grid's classes (1 strong, 2 variable, 0 none)
gdal_translate -q -of XYZ -b 2 ex/out.geotiff ex/band2.xyz
python3 - <<'PY'
import collections, json
vals = collections.Counter(float(l.split()[2]) for l in open("ex/band2.xyz"))
g = [o for o in json.load(open("gaps.json"))["operators"] if (o["operator"], o["rat"]) == ("641-01", "lte")][0]
assert vals[1.0] == g["strong_bins"] and vals[2.0] == g["variable_bins"] and vals[0.0] == g["none_bins"], (vals, g)
print("geotiff classes match the grid:", dict(vals))
PY
gdalinfo -stats ex/out.geotiff > ex/tiff.stats
grep -q 'STATISTICS_MAXIMUM=2$' ex/tiff.stats
set +e; $B export --db kit.db --format shapefile --out x 2>/dev/null; rc=$?; set -e
[ $rc -eq 2 ]
echo "e2e_map: ok"
