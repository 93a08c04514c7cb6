#!/usr/bin/env bash
# no_identities.sh: subscriber identities never leave cellsurvey. Replays GSM captures (a real
# over-the-air recording with live paging traffic, and a synthetic one) with --json and
# --gsmtap to a local UDP listener: every GSMTAP datagram must carry a System Information
# message (never a Paging Request with IMSI/TMSI, nor an assignment, TS 44.018 9.1), at least one
# must arrive (so the check is not vacuous), and no JSON record has an identity-like field.
set -u
BIN=${CELLSURVEY:-build/cellsurvey}
SHARED=${CS_SHARED_CAPTURES:-../shared/captures}
T=${CS_TEST_TMP:-/tmp}/no_identities
[ -d "$SHARED/gsm_real" ] || { echo "SKIP: shared captures not found at $SHARED"; exit 77; }
mkdir -p "$T"
port=$((30000 + RANDOM % 20000))
python3 - "$port" "$T/gsmtap.txt" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.settimeout(1.0)
out = open(sys.argv[2], "w")
idle = 0
while idle < 240:
    try:
        d = s.recv(2048)
    except socket.timeout:
        idle += 1
        if idle > 5 and open("/proc/self/status") and __import__("os").path.exists(sys.argv[2] + ".done"): break
        continue
    idle = 0
    hl = d[1] * 4
    l2 = d[hl:]
    out.write("%d %02x %02x\n" % (d[2], l2[1] if len(l2) > 1 else 0, l2[2] if len(l2) > 2 else 0))
    out.flush()
PY
lpid=$!
sleep 0.5
fail=0
for cap in "$SHARED"/gsm_real/GSMSP_940.8Mhz_118 "$SHARED"/gsm/gsm900_a60_snr30_2s; do
  "$BIN" replay --json --gsmtap "127.0.0.1:$port" "$cap" >"$T/out.json" 2>"$T/err" || { echo "FAIL: replay $cap: $(cat "$T/err")"; fail=1; }
  if grep -qiE '"(imsi|tmsi|ptmsi|imei|msisdn|paging)' "$T/out.json"; then echo "FAIL: identity-like field in the records of $cap"; fail=1; fi
done
sleep 1.5
touch "$T/gsmtap.txt.done"
wait $lpid
rm -f "$T/gsmtap.txt.done"
n=$(wc -l <"$T/gsmtap.txt")
# GSMTAP type 0x01 (Um); protocol discriminator 0x06 (RR); SI types 00 02 03 07 19 1a 1b 1c
bad=$(awk '!($1 == 1 && $2 == "06" && ($3 ~ /^(00|02|03|07|19|1a|1b|1c)$/))' "$T/gsmtap.txt" | sort | uniq -c)
types=$(awk '{print $3}' "$T/gsmtap.txt" | sort | uniq -c | tr '\n' ' ')
echo "GSMTAP datagrams: $n; message types: $types"
[ "$n" -gt 0 ] || { echo "FAIL: no GSMTAP datagram arrived (nothing checked)"; fail=1; }
[ -z "$bad" ] || { echo "FAIL: non-SI messages forwarded: $bad"; fail=1; }
[ $fail -eq 0 ] && echo "ok: only System Information forwarded, no identity fields in records"
exit $fail
