#!/usr/bin/env bash
# replay_cli.sh: replay on the bundled captures (runs in every clone): the cells of
# captures/README.md with their identities, --gps fixed:LAT,LON tags records and the store,
# other --gps sources are refused for a recording.
set -u
bundled=${CS_BUNDLED_CAPTURES:-captures}
bin=${CELLSURVEY:-build/cellsurvey}
tmp=${CS_TEST_TMP:-/tmp}/replay_cli
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=$((fail + 1)); fi; }
mkdir -p "$tmp"
rm -f "$tmp"/s.db*

"$bin" replay --json --db "$tmp/s.db" --gps fixed:-1.25,36.75,1650 "$bundled"/*.sigmf-meta >"$tmp/out" 2>"$tmp/err"
check "replay exits 0" "[ $? -eq 0 ]"
python3 - "$tmp/out" <<'PY' || fail=$((fail + 1))
import json, sys
cells = [json.loads(l) for l in open(sys.argv[1])]
want = {  # captures/README.md
    ("gsm", 93): {"mcc": "272", "mnc": "02", "lac": 15016, "cell_id": 15149},
    ("gsm", 85): {"bsic": 32, "mcc": "262", "mnc": "07", "lac": 10794, "cell_id": 257,
                  "neighbours": [1, 84, 86, 99, 110]},
    ("lte", 0): {"n_prb": 6, "ports": 1, "mcc": "310", "mnc": "410", "tac": 12345,
                 "cell_identity": 27439887, "earfcn": 5110, "band": "12"},
    ("lte", 1): {"n_prb": 6, "ports": 1},
}
got = {(c["rat"], c.get("arfcn") if c["rat"] == "gsm" else c.get("pci")): c for c in cells}
bad = 0
for key, fields in want.items():
    c = got.get(key)
    if c is None:
        print("FAIL: no cell", key); bad += 1; continue
    for k, v in fields.items():
        if c.get(k) != v:
            print("FAIL:", key, k, c.get(k), "want", v); bad += 1
    if abs(c.get("lat", 0) + 1.25) > 1e-6 or abs(c.get("lon", 0) - 36.75) > 1e-6:
        print("FAIL:", key, "position", c.get("lat"), c.get("lon")); bad += 1
if len(cells) != len(want):
    print("FAIL: %d cells, want %d" % (len(cells), len(want))); bad += 1
sys.exit(1 if bad else 0)
PY
n=$(sqlite3 "$tmp/s.db" "select count(*) from measurements where lat between -1.2501 and -1.2499")
check "store holds the 4 positioned measurements (got $n)" "[ '$n' = 4 ]"

"$bin" replay --gps gpsd "$bundled"/lte_pci0_6prb_snr20 >/dev/null 2>"$tmp/err"
check "replay --gps gpsd exits 2" "[ $? -eq 2 ] && grep -q 'fixed:LAT,LON' '$tmp/err'"
"$bin" replay --gps fixed:95,10 "$bundled"/lte_pci0_6prb_snr20 >/dev/null 2>"$tmp/err"
check "replay --gps fixed:95,10 (latitude out of range) exits 2" "[ $? -eq 2 ]"

echo "replay_cli: $fail failed"
[ $fail -eq 0 ]
