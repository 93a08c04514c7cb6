#!/usr/bin/env bash
# e2e_scan.sh: `cellsurvey scan --device driver=cellsurvey-sim,scene=DIR --bands
# egsm900,dcs1800,lte1,lte3 --json` over a scene of shared captures (GSM900 carriers, two LTE
# band 3 carriers inside DCS1800) with positions from an NMEA track file. stdout must be JSON
# Lines records, each with time, device and a fix (or an explicit no-fix), and hold every cell
# that replay decodes from the same captures; the --db store must pass check_store.py (truth
# carriers at their powers, identities equal to the truth, positions on the track).
source "$(dirname "$0")/lib.sh"
need_shared
W="$CS_TEST_TMP/e2e_scan"
rm -rf "$W"; mkdir -p "$W"
make_scene "$W/scene" gsm/gsm900_a33_midmf_start gsm/gsm900_a85_cfo-12k gsm/gsm900_a100_cfo+25k \
  gsm/wb_gsm900_5msps lte/lte_pci257_15prb_snr10_cfo-17k lte/lte_pci444_50prb_snr20
for m in "$W"/scene/*.sigmf-meta; do "$CELLSURVEY" replay --json "$m"; done > "$W/replay.jsonl" || { echo "FAIL: replay"; exit 1; }
"$CELLSURVEY" scan --device "driver=cellsurvey-sim,scene=$W/scene" --bands egsm900,dcs1800,lte1,lte3 --json \
  --gps "nmea:$TESTDIR/track.nmea" --db "$W/scan.db" > "$W/scan.jsonl" 2> "$W/scan.err"
rc=$?
[ $rc -eq 0 ] && ok "scan exit 0" || bad "scan exit $rc: $(tail -3 "$W/scan.err")"
grep -q "^dcs1800 .*1842.500" "$W/scan.err" && ok "step diagnostics printed" || bad "no step diagnostics on stderr"
grep -q "no carrier above the noise floor: no network here" "$W/scan.err" && ok "empty steps say 'no network here'" || bad "no empty-step verdict"
python3 - "$W/scan.jsonl" "$W/replay.jsonl" <<'PY' || fails=$((fails + 1))
import json, sys
scan = [json.loads(l) for l in open(sys.argv[1])]
ref = [json.loads(l) for l in open(sys.argv[2])]
bad = 0
for r in scan:
    for k in ("time", "device", "rat", "fix_time", "fix_mode"):
        if k not in r:
            print("FAIL: scan record without %s: %s" % (k, r)); bad += 1
    if r.get("fix_mode", 0) != 0 and not ("lat" in r and "lon" in r):
        print("FAIL: fix without position: %s" % r); bad += 1
key = lambda r: (r["rat"], r.get("arfcn"), r.get("earfcn"), r.get("bsic"), r.get("pci"), r.get("mcc"), r.get("mnc"),
                 r.get("lac"), r.get("cell_id"), r.get("tac"), r.get("cell_identity"))
have = {key(r) for r in scan}
for r in ref:
    if r.get("rat") in ("gsm", "lte") and key(r) not in have:
        print("FAIL: replay decodes %s, the scan did not print it" % (key(r),)); bad += 1
print("scan printed %d cells; replay reference %d" % (len(scan), len([r for r in ref if r.get("rat")])))
sys.exit(1 if bad else 0)
PY
python3 "$TESTDIR/check_store.py" "$W/scan.db" "$W/scene" "$W/replay.jsonl" --track "$TRACK" || fails=$((fails + 1))
echo "e2e_scan: $fails failed"
exit $((fails > 0))
