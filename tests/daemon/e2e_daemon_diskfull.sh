#!/usr/bin/env bash
# e2e_daemon_diskfull.sh: the daemon's database on a small tmpfs that fills up mid-run. The
# status endpoint must report storage.ok false and disk_full true, the daemon must keep sweeping,
# and when space returns it must write what it held (stored grows, pending back to 0, flags
# clear); after SIGTERM the database passes integrity_check. Skips (77) where tmpfs cannot be
# mounted (no CAP_SYS_ADMIN).
source "$(dirname "$0")/lib.sh"
W="$CS_TEST_TMP/e2e_diskfull"
if mountpoint -q "$W/fs" 2>/dev/null; then umount "$W/fs"; fi
rm -rf "$W"; mkdir -p "$W/fs"
if ! mount -t tmpfs -o size=2m tmpfs "$W/fs" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)"; exit 77
fi
trap 'cleanup; umount "$W/fs" 2>/dev/null' EXIT
make_noise_scene "$W/scene"
PORT=$(free_port)
cat > "$W/daemon.conf" <<CONF
device = "driver=cellsurvey-sim,scene=$W/scene";
scan = { bands = "pgsm900,gsm850,dcs1800"; interval = 0; dwell = { gsm = 0.05; }; };
storage = { database = "$W/fs/survey.db"; };
gps = "fixed:2.3456,32.9012,1050";
status = { port = $PORT; };
CONF
"$CELLSURVEY" daemon --config "$W/daemon.conf" 2> "$W/daemon.log" &
DPID=$!
PIDS+=($DPID)
wait_status $PORT 's["storage"]["stored"] >= 5' && ok "storing" || bad "nothing stored"
# fill the file system
dd if=/dev/zero of="$W/fs/filler" bs=64k 2>/dev/null
wait_status $PORT 's["storage"]["disk_full"] and not s["storage"]["ok"] and s["storage"]["pending"] > 0' &&
  ok "disk full reported on /status, records held" || bad "disk full not reported"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -q '^cellsurvey_disk_full 1' && ok "metrics: cellsurvey_disk_full 1" || bad "metrics disk_full"
held=$(curl -s "http://127.0.0.1:$PORT/status" | python3 -c 'import json,sys; s=json.load(sys.stdin)["storage"]; print(s["stored"] + s["pending"])')
kill -0 $DPID && ok "daemon still running with a full disk" || bad "daemon died on a full disk"
rm -f "$W/fs/filler"
wait_status $PORT "s['storage']['ok'] and not s['storage']['disk_full'] and s['storage']['pending'] == 0 and s['storage']['stored'] >= $held" &&
  ok "space back: held records written, flags clear" || bad "no recovery after space returned"
stored=$(curl -s "http://127.0.0.1:$PORT/status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["storage"]["stored"])')
kill -TERM $DPID; wait $DPID; rc=$?
[ $rc -eq 0 ] && ok "SIGTERM: exit 0" || bad "exit $rc"
[ "$(sqlite3 "$W/fs/survey.db" 'PRAGMA integrity_check')" = ok ] && ok "integrity_check ok" || bad "integrity_check"
n=$(sqlite3 "$W/fs/survey.db" 'SELECT (SELECT count(*) FROM measurements) + (SELECT count(*) FROM track)')
[ "$n" -ge "$stored" ] && ok "$n rows >= $stored reported stored" || bad "$n rows < $stored reported stored"
grep -q "database writable again" "$W/daemon.log" && ok "recovery logged" || bad "recovery not logged"
echo "e2e_daemon_diskfull: $fails failed"
exit $((fails > 0))
