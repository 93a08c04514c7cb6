#!/usr/bin/env bash
# demo.sh: survey the bundled captures with the built binary: find and decode the cells, store
# the measurements in demo/survey.db, print what was found.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p demo
rm -f demo/survey.db demo/survey.db-wal demo/survey.db-shm
echo "== cells in the bundled captures (captures/README.md)"
build/cellsurvey replay captures/*.sigmf-meta
echo
echo "== the same as JSON Lines, stored in demo/survey.db"
build/cellsurvey replay --json captures/*.sigmf-meta | tee demo/cells.jsonl
