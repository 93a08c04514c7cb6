#!/usr/bin/env bash
# demo.sh: survey the bundled captures (captures/README.md) with the built binary: find, decode
# and measure every cell, store the measurements in demo/survey.db, grid them, list the cells
# and write the offline report. The recordings carry no position, so they are tagged with a
# fictitious site at sea (0.5 N, 0.5 E) given on the command line.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/cellsurvey
site=fixed:0.5,0.5
mkdir -p demo
rm -f demo/survey.db demo/survey.db-wal demo/survey.db-shm

echo "== 1. replay: cells in the bundled captures, stored in demo/survey.db"
"$bin" replay --db demo/survey.db --gps "$site" captures/*.sigmf-meta
echo
echo "== 2. the same cells as JSON Lines (demo/cells.jsonl; docs/records.md)"
"$bin" replay --json --gps "$site" captures/*.sigmf-meta > demo/cells.jsonl
cut -c1-160 demo/cells.jsonl
echo
echo "== 3. coverage grid (demo/grid.geojson) and gap report"
"$bin" grid --db demo/survey.db --cell-size 100 --geojson demo/grid.geojson
echo
echo "== 4. unique cells"
"$bin" cells --db demo/survey.db
echo
echo "== 5. offline report"
"$bin" report --db demo/survey.db --out demo/report
echo
echo "Done: demo/survey.db (measurements), demo/grid.geojson (grid), demo/report/index.html (report)."
