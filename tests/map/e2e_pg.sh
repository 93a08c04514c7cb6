#!/usr/bin/env bash
# e2e_pg.sh: the PostgreSQL + PostGIS fleet store against a real throwaway server: push is
# idempotent (twice adds nothing) and concurrency-safe (several kits, and the same kit twice, at
# once); the in-database grid equals the in-memory grid of the same data; import, cells, export
# and report work with --db postgresql://.
set -euo pipefail
B=${CELLSURVEY:?} ; GEN=$CS_BUILD_DIR/tests/map_synth_gen ; CHECK=$CS_SOURCE_DIR/tests/map/check_map.py
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
T=$CS_TEST_TMP/map_pg; rm -rf "$T"; mkdir -p "$T"; cd "$T"
source "$CS_SOURCE_DIR/tests/map/pg_server.sh"

# three kits: the same area and cells, different noise (seeds), so different measurements
for k in 1 2 3; do
  $GEN kit$k.jsonl truth.json $((1000 + k))
  $B import --db kit$k.db kit$k.jsonl 2>/dev/null
done
$GEN --spectrum kit1.db

counts() { psql_q "SELECT (SELECT count(*) FROM sessions)||' '||(SELECT count(*) FROM measurements)||' '||(SELECT count(*) FROM track)||' '||(SELECT count(*) FROM spectrum)||' '||(SELECT count(*) FROM cells)"; }

$B push --from kit1.db --to "$PGURI" | tee push1.txt
c1=$(counts); echo "after push 1: $c1"
n1=$(sqlite3 kit1.db "SELECT (SELECT count(*) FROM sessions)||' '||(SELECT count(*) FROM measurements)||' '||(SELECT count(*) FROM track)||' '||(SELECT count(*) FROM spectrum)||' '||(SELECT count(*) FROM cells)")
[ "$c1" = "$n1" ] || { echo "FAIL: PostgreSQL holds '$c1', kit holds '$n1'"; exit 1; }
psql_q "SELECT count(*) FROM measurements WHERE geom IS NULL OR ST_SRID(geom) <> 4326" | grep -qx 0

# idempotent: a second push adds nothing
$B push --from kit1.db --to "$PGURI" | tee push2.txt
grep -q '(0 new), [0-9]* track points (0 new), [0-9]* spectrum rows (0 new)' push2.txt
[ "$(counts)" = "$c1" ] || { echo "FAIL: second push changed the store: $(counts) vs $c1"; exit 1; }

# concurrent: kits 2 and 3, and kit 1 twice more, all at once
pids=()
for k in 2 3 1 1 2; do $B push --from kit$k.db --to "$PGURI" > conc$k.$RANDOM.txt 2>&1 & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || { cat conc*.txt; echo "FAIL: a concurrent push failed"; exit 1; }; done
cat conc*.txt
want=$(python3 - <<'PY'
import sqlite3
tot = [0, 0, 0, 0]
cells = set()
for k in (1, 2, 3):
    db = sqlite3.connect("kit%d.db" % k)
    for i, t in enumerate(("sessions", "measurements", "track", "spectrum")):
        tot[i] += db.execute("SELECT count(*) FROM " + t).fetchone()[0]
    cells |= set(db.execute("SELECT rat, band, channel, mcc, mnc, area, cell, local_id FROM cells").fetchall())
print(" ".join(map(str, tot + [len(cells)])))
PY
)
got=$(counts); echo "after concurrent pushes: $got (want $want)"
[ "$got" = "$want" ] || { echo "FAIL: concurrent pushes: '$got', want '$want'"; exit 1; }
psql_q "SELECT count(*) FROM (SELECT obs_key FROM measurements GROUP BY obs_key HAVING count(*) > 1) d" | grep -qx 0

# concurrent kits that both bring the same new cells (they race to create the cells rows)
for k in 4 5; do
  sed -e 's/"cell_identity":\([0-9]*\)/"cell_identity":9\1/' -e 's/"lac":\([0-9]*\)/"lac":1\1/' -e 's/"device":"synth"/"device":"synth'$k'"/' \
    kit$((k - 2)).jsonl > kit$k.jsonl
  $B import --db kit$k.db kit$k.jsonl 2>/dev/null
done
cells_before=$(psql_q "SELECT count(*) FROM cells")
pids=()
for k in 4 5 4 5; do $B push --from kit$k.db --to "$PGURI" > race$k.$RANDOM.txt 2>&1 & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || { cat race*.txt; echo "FAIL: a racing push failed"; exit 1; }; done
new_cells=$(( $(psql_q "SELECT count(*) FROM cells") - cells_before ))
[ "$new_cells" -eq 8 ] || { echo "FAIL: racing pushes created $new_cells cells, want 8"; exit 1; }
m45=$(( $(sqlite3 kit4.db "SELECT count(*) FROM measurements") + $(sqlite3 kit5.db "SELECT count(*) FROM measurements") ))
total=$(psql_q "SELECT count(*) FROM measurements WHERE cell_id IN (SELECT id FROM cells ORDER BY id DESC LIMIT 8)")
[ "$total" -eq "$m45" ] || { echo "FAIL: racing pushes stored $total measurements of the new cells, want $m45"; exit 1; }
echo "racing pushes ok: 8 new cells, $total measurements"
psql_q "DELETE FROM measurements WHERE cell_id IN (SELECT id FROM cells ORDER BY id DESC LIMIT 8)" > /dev/null
psql_q "DELETE FROM track WHERE session_id IN (SELECT id FROM sessions WHERE description LIKE '%kit4%' OR description LIKE '%kit5%')" > /dev/null
psql_q "DELETE FROM sessions WHERE description LIKE '%kit4%' OR description LIKE '%kit5%'" > /dev/null

# the grid in the database equals the in-memory grid of the same three kits
$B import --db all.db kit1.jsonl kit2.jsonl kit3.jsonl 2>/dev/null
$B grid --db all.db --geojson mem.geojson > mem.txt
$B grid --db "$PGURI" --geojson pg.geojson > pg.txt
cat pg.txt
python3 "$CHECK" same mem.geojson pg.geojson
diff <(sed 1d mem.txt) <(sed 1d pg.txt)
$B grid --db "$PGURI" --operator 641-01 --rat lte --cell-size 200 --geojson pg200.geojson --json > pg200.json
$B grid --db all.db --operator 641-01 --rat lte --cell-size 200 --geojson mem200.geojson --json > mem200.json
python3 "$CHECK" same mem200.geojson pg200.geojson

# --db postgresql:// everywhere --db FILE works
$B cells --db "$PGURI" --json > cells.json
python3 - <<'PY'
import json
c = [json.loads(l) for l in open("cells.json")]
assert len(c) == 8 and sum(1 for r in c if r["est_lat"] is not None) == 7, c
print("cells from PostgreSQL ok")
PY
$B export --db "$PGURI" --format opencellid --out pg.ocid.csv
head -1 pg.ocid.csv | grep -qx 'mcc,mnc,lac,cellid,lon,lat,signal,measured_at,rating,speed,direction,act,ta,psc,tac,pci,sid,nid,bid'
$B report --db "$PGURI" --out rep 2>&1 | grep -q 'wrote'
grep -q 'postgresql://...@' rep/index.html
before=$(psql_q "SELECT count(*) FROM measurements")
$B import --db "$PGURI" kit1.jsonl 2>&1 | tail -1
[ "$(psql_q "SELECT count(*) FROM measurements")" = "$((before + $(grep -c '"rat"' kit1.jsonl)))" ] ||
  { echo "FAIL: import into PostgreSQL"; exit 1; }

# the foundation's commands write to PostgreSQL too (when the shared captures are present)
cap=$(ls "${CS_SHARED_CAPTURES:-/nonexistent}"/gsm/*.sigmf-meta 2>/dev/null | head -1 || true)
if [ -n "$cap" ]; then
  before=$(psql_q "SELECT count(*) FROM spectrum")
  $B spectrum --raster gsm --db "$PGURI" "$cap" > /dev/null
  after=$(psql_q "SELECT count(*) FROM spectrum")
  [ "$after" -gt "$before" ] || { echo "FAIL: spectrum --db postgresql:// stored nothing"; exit 1; }
  echo "spectrum --db postgresql:// stored $((after - before)) channel rows"
fi

# a server that is not there: environment error, exit 1, naming the target without the password
set +e; $B grid --db "postgresql://cs:secret@127.0.0.1:1/none" --geojson x.geojson 2> down.err; rc=$?; set -e
cat down.err
[ $rc -eq 1 ] && grep -q 'cannot connect' down.err && ! grep -q secret down.err
echo "e2e_pg: ok"
