#!/usr/bin/env bash
# e2e_daemon_sigterm.sh: SIGTERM at three points of a running sweep. Each time the daemon must
# exit 0 promptly, leave PRAGMA integrity_check ok, end its session, and the database must hold
# at least every measurement the status endpoint reported as stored before the signal.
source "$(dirname "$0")/lib.sh"
need_shared
W="$CS_TEST_TMP/e2e_sigterm"
rm -rf "$W"; mkdir -p "$W"
make_scene "$W/scene" gsm/gsm900_a33_midmf_start gsm/wb_gsm900_5msps lte/lte_pci444_50prb_snr20
for delay in 0 1.3 3.1; do
  HTTPPORT=$(free_port)
  DB="$W/survey_$delay.db"
  cat > "$W/daemon.conf" <<CONF
device = "driver=cellsurvey-sim,scene=$W/scene";
scan = { bands = ["egsm900", "lte3"]; interval = 0; };
storage = { database = "$DB"; };
gps = "fixed:2.3456,32.9012,1050";
status = { port = $HTTPPORT; };
CONF
  "$CELLSURVEY" daemon --config "$W/daemon.conf" 2> "$W/daemon_$delay.log" &
  DPID=$!
  PIDS+=($DPID)
  if ! wait_status "$HTTPPORT" 's["storage"]["stored"] >= 3'; then bad "delay $delay: nothing stored"; kill $DPID; continue; fi
  sleep "$delay"
  stored=$(curl -sf "http://127.0.0.1:$HTTPPORT/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["storage"]["stored"])')
  t0=$(date +%s.%N)
  kill -TERM $DPID
  wait $DPID; rc=$?
  t1=$(date +%s.%N)
  [ $rc -eq 0 ] && ok "delay $delay: exit 0 after SIGTERM in $(python3 -c "print('%.1f' % ($t1 - $t0))") s" || bad "delay $delay: exit $rc"
  [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] && ok "delay $delay: integrity_check ok" || bad "delay $delay: integrity_check"
  n=$(sqlite3 "$DB" 'SELECT (SELECT count(*) FROM measurements) + (SELECT count(*) FROM track)')
  [ "$n" -ge "$stored" ] && ok "delay $delay: $n stored rows >= $stored reported before the signal" || bad "delay $delay: $n rows < $stored reported"
  [ "$(sqlite3 "$DB" 'SELECT count(*) FROM sessions WHERE ended IS NOT NULL')" = 1 ] && ok "delay $delay: session ended" || bad "delay $delay: session not ended"
  grep -q "stopped (signal)" "$W/daemon_$delay.log" && ok "delay $delay: clean stop logged" || bad "delay $delay: no clean stop in the log"
done
echo "$((15 - fails)) passed, $fails failed"
exit $((fails > 0))
