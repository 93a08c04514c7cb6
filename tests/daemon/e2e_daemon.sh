#!/usr/bin/env bash
# e2e_daemon.sh [faults]: the daemon against the simulated radio serving a scene of shared GSM900
# and LTE band 3 captures at their real frequencies, with gpsd+gpsfake playing tests/daemon/track.nmea.
# After one sweep the store must hold every carrier of the scene at its truth power, every cell
# that replay decodes from the same captures with its truth identity, positions from the track,
# and the status endpoint must have served state and metrics during the sweep.
# With "faults": two sweeps; the radio also overflows, stalls and vanishes mid-sweep for 4 s, and
# gpsd goes away early in the first sweep; the sweeps must ride it out, carry on without a fix
# (rows with an explicit no-fix), and the store must hold the same cells.
source "$(dirname "$0")/lib.sh"
need_shared
need_gpsfake
MODE=${1:-clean}
W="$CS_TEST_TMP/e2e_daemon_$MODE"
rm -rf "$W"; mkdir -p "$W"
make_scene "$W/scene" gsm/gsm900_a33_midmf_start gsm/gsm900_a85_cfo-12k gsm/gsm900_a100_cfo+25k \
  gsm/wb_gsm900_5msps lte/lte_pci257_15prb_snr10_cfo-17k lte/lte_pci444_50prb_snr20

# what the merged decoders find in the same captures, read directly
for m in "$W"/scene/*.sigmf-meta; do "$CELLSURVEY" replay --json "$m"; done > "$W/replay.jsonl" || { echo "FAIL: replay"; exit 1; }
echo "replay reference: $(grep -c '"rat"' "$W/replay.jsonl") cells"

GPSPORT=$(free_port); HTTPPORT=$(free_port)
start_gpsfake "$GPSPORT"
GPSFAKE_PID=${PIDS[-1]}
DEV="driver=cellsurvey-sim,scene=$W/scene"
CYCLES=1
if [ "$MODE" = faults ]; then
  DEV="$DEV,overflow_every=3,timeout_every=2.5,timeout_for=0.3,gone_after=5,gone_for=4"
  CYCLES=2 # the second sweep runs long after the fix went stale
fi
cat > "$W/daemon.conf" <<CONF
device = "$DEV";
scan = { bands = "egsm900,lte3"; interval = 1; cycles = $CYCLES; };
storage = { database = "$W/survey.db"; };
gps = "gpsd:127.0.0.1:$GPSPORT";
status = { listen = "127.0.0.1"; port = $HTTPPORT; };
log_level = "debug";
CONF
"$CELLSURVEY" daemon --config "$W/daemon.conf" 2> "$W/daemon.log" &
DPID=$!
PIDS+=($DPID)
status_ok=0; metrics_ok=0; gps_killed=0
for _ in $(seq 600); do
  kill -0 $DPID 2>/dev/null || break
  if [ "$MODE" = faults ] && [ $gps_killed = 0 ] && [ $status_ok = 1 ]; then
    kill -- "-$GPSFAKE_PID" 2>/dev/null; gps_killed=1; echo "gpsd killed during the first sweep"
  fi
  if curl -sf "http://127.0.0.1:$HTTPPORT/status" -o "$W/status.json" 2>/dev/null &&
     python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s["state"]=="scanning" and s["band"] and s["device"]["args"] and "disk_full" in s["storage"] and s["gps"]["fix_mode"]==3 else 1)' "$W/status.json"; then
    status_ok=1
  fi
  if curl -sf "http://127.0.0.1:$HTTPPORT/metrics" -o "$W/metrics.txt" 2>/dev/null &&
     grep -q '^cellsurvey_up 1' "$W/metrics.txt" && grep -q '^cellsurvey_gps_fix_mode 3' "$W/metrics.txt"; then
    metrics_ok=1
  fi
  sleep 0.5
done
wait $DPID; rc=$?
[ $rc -eq 0 ] && ok "daemon exit 0 after $CYCLES sweep(s)" || bad "daemon exit $rc"
[ $status_ok = 1 ] && ok "/status served state, band, device, storage, 3D fix while scanning" || bad "/status during the sweep"
[ $metrics_ok = 1 ] && ok "/metrics served" || bad "/metrics during the sweep"
grep -q "sweep $CYCLES done" "$W/daemon.log" && ok "sweeps completed" || bad "no completed sweep $CYCLES in the log"
if [ "$MODE" = faults ]; then
  grep -q "device gap" "$W/daemon.log" && ok "device gap recorded: $(grep -m1 'device gap' "$W/daemon.log")" || bad "no device gap in the log"
  grep -qi "overflow" "$W/daemon.log" && ok "overflows seen" || bad "no overflow reported"
  [ $gps_killed = 1 ] && ok "gpsd went away mid-sweep" || bad "gpsd was not killed"
  nofix=$(sqlite3 "$W/survey.db" "SELECT count(*) FROM spectrum WHERE lat IS NULL")
  [ "$nofix" -gt 0 ] && ok "measuring went on without a fix ($nofix channel rows with no position)" || bad "no rows without a fix after gpsd went away"
  python3 "$TESTDIR/check_store.py" "$W/survey.db" "$W/scene" "$W/replay.jsonl" --track "$TRACK" --min-fix-fraction 0 || fails=$((fails + 1))
else
  python3 "$TESTDIR/check_store.py" "$W/survey.db" "$W/scene" "$W/replay.jsonl" --track "$TRACK" || fails=$((fails + 1))
fi
[ $fails -eq 0 ] || { echo "--- daemon log (tail)"; tail -30 "$W/daemon.log"; }
echo "e2e_daemon $MODE: $fails failed"
exit $((fails > 0))
