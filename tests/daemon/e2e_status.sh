#!/usr/bin/env bash
# e2e_status.sh: the daemon's config checks, status endpoint hardening and SIGHUP reload, on the
# simulated radio with a noise-only scene (no shared captures needed).
source "$(dirname "$0")/lib.sh"
W="$CS_TEST_TMP/e2e_status"
rm -rf "$W"; mkdir -p "$W"
make_noise_scene "$W/scene"
PORT=$(free_port)
TOKEN=0123456789abcdef-secret
conf() { # conf FILE EXTRA...
  local f=$1; shift
  { echo "device = \"driver=cellsurvey-sim,scene=$W/scene\";"
    echo 'scan = { bands = "pgsm900"; interval = 1; dwell = { gsm = 0.05; }; };'
    echo "storage = { database = \"$W/s.db\"; };"
    printf '%s\n' "$@"; } > "$f"
}

# --- config checks: clear messages, exit 2 ---
expect_bad() { # expect_bad WHAT PATTERN CONFIG-LINES...
  local what=$1 pat=$2; shift 2
  printf '%s\n' "$@" > "$W/bad.conf"
  out=$("$CELLSURVEY" daemon --config "$W/bad.conf" --check 2>&1); rc=$?
  if [ $rc -eq 2 ] && grep -q -- "$pat" <<<"$out"; then ok "bad config ($what): $out"; else bad "bad config ($what): rc $rc: $out"; fi
}
expect_bad "syntax" "bad.conf:2" 'device = "x";' 'scan = { bands = "egsm900" };;; oops'
expect_bad "unknown key" "unknown setting 'colour'" 'device = "x";' 'scan = { bands = "egsm900"; };' 'colour = "red";'
expect_bad "bad band" "unknown band 'gsm1900x'" 'device = "x";' 'scan = { bands = "egsm900,gsm1900x"; };'
expect_bad "no device" "'device' is required" 'scan = { bands = "egsm900"; };'
expect_bad "no token off loopback" "set status.token" 'device = "x";' 'scan = { bands = "egsm900"; };' 'status = { listen = "0.0.0.0"; };'
expect_bad "bad gps" "gps" 'device = "x";' 'scan = { bands = "egsm900"; };' 'gps = "fixed:200,0";'
expect_bad "interval type" "scan.interval" 'device = "x";' 'scan = { bands = "egsm900"; interval = "often"; };'
"$CELLSURVEY" daemon --config "$W/missing.conf" --check >/dev/null 2>&1; [ $? -eq 2 ] && ok "missing config: exit 2" || bad "missing config"
conf "$W/good.conf" "status = { port = $PORT; token = \"$TOKEN\"; };"
"$CELLSURVEY" daemon --config "$W/good.conf" --check >/dev/null && ok "good config passes --check" || bad "good config rejected"
conf "$W/example.conf"
"$CELLSURVEY" daemon --config "$CS_SOURCE_DIR/docs/cellsurvey.conf.example" --check >/dev/null && ok "docs/cellsurvey.conf.example passes --check" || bad "docs/cellsurvey.conf.example rejected"

# --- scan command: repeat, usage errors ---
out=$("$CELLSURVEY" scan --device "driver=cellsurvey-sim,scene=$W/scene" --bands pgsm900 --repeat 2 --json --gps fixed:1,2 2>&1 >/dev/null); rc=$?
[ $rc -eq 0 ] && grep -q "^sweep 2: " <<<"$out" && ok "scan --repeat 2: two sweeps" || bad "scan --repeat 2: rc $rc: $out"
grep -q "no network here" <<<"$out" && ok "noise-only scene: 'no network here'" || bad "noise-only verdict missing"
"$CELLSURVEY" scan --device x --bands lte999 >/dev/null 2>&1; [ $? -eq 2 ] && ok "scan: bad band exit 2" || bad "scan: bad band"
"$CELLSURVEY" scan --bands egsm900 >/dev/null 2>&1; [ $? -eq 2 ] && ok "scan: no device exit 2" || bad "scan: no device"
"$CELLSURVEY" scan --device x --bands egsm900 --gps fixed:100,0 >/dev/null 2>&1; [ $? -eq 2 ] && ok "scan: bad --gps exit 2" || bad "scan: bad --gps"
out=$("$CELLSURVEY" scan --device driver=nosuchdriver --bands egsm900 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "nosuchdriver" <<<"$out" && ok "scan: missing radio exit 1 naming it" || bad "scan: missing radio: rc $rc: $out"

# --- status endpoint ---
"$CELLSURVEY" daemon --config "$W/good.conf" 2> "$W/daemon.log" &
DPID=$!
PIDS+=($DPID)
wait_status $PORT 's["sweeps"] >= 1' "$TOKEN" && ok "daemon sweeping, /status with the token" || bad "no sweep reported"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "http://127.0.0.1:$PORT/status")" = 401 ] && ok "no token: 401" || bad "no token accepted"
[ "$(code -H 'Authorization: Bearer wrong' "http://127.0.0.1:$PORT/status")" = 401 ] && ok "wrong token: 401" || bad "wrong token accepted"
A=(-H "Authorization: Bearer $TOKEN")
[ "$(code "${A[@]}" "http://127.0.0.1:$PORT/metrics")" = 200 ] && ok "metrics with the token: 200" || bad "metrics"
[ "$(code "${A[@]}" -X POST "http://127.0.0.1:$PORT/status")" = 405 ] && ok "POST: 405" || bad "POST not refused"
[ "$(code "${A[@]}" "http://127.0.0.1:$PORT/../../etc/passwd")" = 404 ] && ok "path outside: 404" || bad "path outside served"
[ "$(code "${A[@]}" "http://127.0.0.1:$PORT/config")" = 404 ] && ok "unknown path: 404" || bad "unknown path served"
[ "$(code "${A[@]}" -X GET --data-binary 'xxxxxxxxxx' "http://127.0.0.1:$PORT/status")" = 413 ] && ok "request body: 413" || bad "request body accepted"
big=$(head -c 40000 /dev/zero | tr '\0' a)
c=$(code "${A[@]}" -H "X-Big: $big" "http://127.0.0.1:$PORT/status")
[ "$c" != 200 ] && ok "40 kB header refused ($c)" || bad "40 kB header served"
python3 - "$PORT" <<'PY' && ok "idle connection closed by the server within 8 s" || bad "idle connection kept open"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
t = time.time()
try:
    s.send(b"GET /status HTTP/1.1\r\nHost: x\r\n")  # never finished
    data = s.recv(100)
except OSError:
    data = b""
sys.exit(0 if time.time() - t < 8 else 1)
PY
body=$(curl -s "${A[@]}" "http://127.0.0.1:$PORT/status")
grep -q "$TOKEN" <<<"$body" && bad "token leaked in /status" || ok "/status does not show the token"
grep -q "s.db" <<<"$body" && bad "database path in /status" || ok "/status does not show file paths of the store"
kill -0 $DPID && ok "daemon alive after hostile requests" || bad "daemon died"

# --- SIGHUP: a bad file keeps the running config; a good one is applied ---
echo 'device = ;' > "$W/good.conf.new"; cp "$W/good.conf" "$W/good.conf.bak"; cp "$W/good.conf.new" "$W/good.conf"
kill -HUP $DPID; sleep 1.5
grep -q "keeping the running configuration" "$W/daemon.log" && ok "SIGHUP with a bad file: kept running config" || bad "bad reload not reported"
kill -0 $DPID && ok "alive after a bad reload" || bad "died on a bad reload"
conf "$W/good.conf" "status = { port = $PORT; token = \"$TOKEN\"; };" 'scan = { bands = "pgsm900,gsm850"; interval = 1; dwell = { gsm = 0.05; }; };'
sed -i '2d' "$W/good.conf" # drop the first scan line: the second one holds the new bands
kill -HUP $DPID
wait_status $PORT 's["band"] == "gsm850"' "$TOKEN" && ok "SIGHUP applied the new band list" || bad "new band list not applied"
grep -q "configuration reloaded" "$W/daemon.log" && ok "reload logged" || bad "reload not logged"
kill -TERM $DPID; wait $DPID; rc=$?
[ $rc -eq 0 ] && ok "SIGTERM: exit 0" || bad "SIGTERM: exit $rc"
echo "e2e_status: $fails failed"
exit $((fails > 0))
