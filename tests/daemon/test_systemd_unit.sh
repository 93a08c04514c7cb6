#!/usr/bin/env bash
# test_systemd_unit.sh: packaging/cellsurvey.service has what docs/daemon.md promises (notify,
# watchdog, unprivileged, hardening) and `systemd-analyze security --offline` rates it 2.0 or
# better ("OK"). Skips when systemd-analyze cannot check unit files offline.
set -u
UNIT="$CS_SOURCE_DIR/packaging/cellsurvey.service"
fails=0; n=0
has() { n=$((n + 1)); grep -qx "$1" "$UNIT" && echo "ok: $1" || { echo "FAIL: $UNIT lacks $1"; fails=$((fails + 1)); }; }
for k in Type=notify WatchdogSec=60 NoNewPrivileges=yes CapabilityBoundingSet= ProtectSystem=strict \
         ReadWritePaths=/var/lib/cellsurvey PrivateTmp=yes User=cellsurvey ProtectHome=yes \
         'ExecReload=/bin/kill -HUP $MAINPID' 'ExecStart=/usr/bin/cellsurvey daemon --config /etc/cellsurvey/cellsurvey.conf'; do
  has "$k"
done
if ! command -v systemd-analyze >/dev/null || ! systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
  echo "SKIP: systemd-analyze with --offline not available (Debian package systemd >= 250)"; exit 77
fi
out=$(systemd-analyze security --offline=true "$UNIT" 2>&1 | tail -1)
score=$(sed -n 's/.*exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
n=$((n + 1))
if [ -n "$score" ] && python3 -c "import sys; sys.exit(0 if float('$score') <= 2.0 else 1)"; then echo "ok: $out"; else echo "FAIL: $out"; fails=$((fails + 1)); fi
echo "$((n - fails)) passed, $fails failed"
exit $((fails > 0))
