#!/usr/bin/env bash
# soak.sh [SECONDS] [OUTDIR]: run the daemon on the simulated SDR (driver=cellsurvey-sim, a scene
# of shared captures) with faults injected (overflows, stalls/timeouts, one unplug and return)
# for SECONDS (default 3600: the on-demand hour; CI runs 120 via tests/rel/soak_ci.sh), then check
#   - memory: sampled at each scan step (sweep n, step k) after the first sweep; least-squares
#     trends within each step index (every sample compared with the same phase of other sweeps)
#     below 1 MB per hour for the heap in use without SQLite (/status "memory": mallinfo2 minus
#     sqlite3_memory_used: a leak detector that a 2-minute run can already trust) and for RSS
#     without SQLite (SQLite's page cache grows with the database up to its cache_size, 2 MB by
#     default: bounded, not a leak); the plain RSS trend is printed. RSS checks are skipped under
#     ASan, whose quarantine grows by design (its leak check at exit stands in);
#   - file descriptors: the count at step boundaries does not grow;
#   - measurements: every cell the daemon counted is in the database after a clean SIGTERM stop.
#   - heap floor: the lowest heap without SQLite between dwells, last quarter against third quarter
#     (SOAK_FLOOR_MAX_KB, default off; the 2-minute CI run sets it).
# Limits: SOAK_HEAP_MAX_MBH and SOAK_RSS_MAX_MBH (default 1; "off" skips the RSS check).
# Prints one summary line (docs/reliability.md records a run). Environment: CELLSURVEY (binary),
# CS_SIM_PLUGIN (dir of the cellsurvey-sim SoapySDR module), CS_SHARED_CAPTURES.
set -u
DUR=${1:-3600}
OUT=${2:-${CS_TEST_TMP:-/tmp}/soak}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CELLSURVEY:-$HERE/build/cellsurvey}
PLUGIN=${CS_SIM_PLUGIN:-$(dirname "$BIN")/hw/sim}
SHARED=${CS_SHARED_CAPTURES:-$HERE/../shared/captures}
[ -d "$SHARED/gsm" ] && [ -d "$SHARED/lte" ] || { echo "SKIP: shared captures not found at $SHARED"; exit 77; }
ls "$PLUGIN"/*cellsurvey* >/dev/null 2>&1 || { echo "soak: simulated device module not found in $PLUGIN (build first)"; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT/scene"
ln -s "$SHARED"/gsm/gsm900_a60_snr10.sigmf-* "$OUT/scene/"
lte_hz=$(python3 -c "import json;print(json.load(open('$SHARED/lte/lte_pci444_50prb_snr20.sigmf-meta'))['captures'][0]['core:frequency'])")
band=$(python3 -c "
f=$lte_hz/1e6
bands={1:(2110,2170),3:(1805,1880),7:(2620,2690),8:(925,960),20:(791,821),28:(758,803),5:(869,894),17:(734,746),13:(746,756)}
print(next((b for b,(lo,hi) in sorted(bands.items()) if lo<=f<=hi),3))")
port=$((20000 + RANDOM % 20000))
unplug_at=$((DUR / 3)); [ $unplug_at -lt 20 ] && unplug_at=20
cat >"$OUT/soak.conf" <<CONF
device = "driver=cellsurvey-sim,scene=$OUT/scene,serial=soak,overflow_every=6,timeout_every=7,timeout_for=0.3,gone_after=$unplug_at,gone_for=8";
scan = { bands = "egsm900"; interval = 1; reopen_timeout = 0; dwell = { gsm = 0.5; detect = 0.05; }; };
storage = { database = "$OUT/soak.db"; };
status = { listen = "127.0.0.1"; port = $port; };
log_level = "info";
CONF
asan=0
ldd "$BIN" 2>/dev/null | grep -q libasan && asan=1

SOAPY_SDR_PLUGIN_PATH=$PLUGIN "$BIN" daemon --config "$OUT/soak.conf" >"$OUT/daemon.out" 2>"$OUT/daemon.err" &
pid=$!
t0=$(date +%s)
last=""
: >"$OUT/samples"   # time sweeps step rss_kb fds stored cells pending heap_bytes sqlite_bytes
status_json() { python3 - "$port" <<'PY'
import json, sys, urllib.request
try:
    s = json.load(urllib.request.urlopen("http://127.0.0.1:%s/status" % sys.argv[1], timeout=3))
    m = s.get("memory", {})
    print(s["sweeps"], s["step"], s["storage"]["stored"], s["cells"]["total"], s["storage"]["pending"],
          m.get("heap_in_use", -1), m.get("sqlite", -1))
except Exception:
    print("")
PY
}
while [ $(( $(date +%s) - t0 )) -lt "$DUR" ]; do
  sleep 1
  kill -0 $pid 2>/dev/null || { echo "FAIL: the daemon died: $(tail -3 "$OUT/daemon.err")"; exit 1; }
  read -r sweeps step stored cells pending heap sqlite <<<"$(status_json)"
  [ -n "${sweeps:-}" ] || continue
  if [ "$sweeps $step" != "$last" ]; then
    rss=$(awk '/^VmRSS/{print $2}' /proc/$pid/status)
    fds=$(ls /proc/$pid/fd | wc -l)
    echo "$(( $(date +%s) - t0 )) $sweeps $step $rss $fds $stored $cells $pending $heap $sqlite" >>"$OUT/samples"
    last="$sweeps $step"
  fi
done
read -r _ _ stored_before cells_before _ _ _ <<<"$(status_json)"
kill -TERM $pid
wait $pid; rc=$?
meas=$(sqlite3 "$OUT/soak.db" "SELECT count(*) FROM measurements" 2>&1)
python3 - "$OUT/samples" "$DUR" "$asan" "$rc" "$meas" "${cells_before:-0}" "$OUT/daemon.err" "${SOAK_HEAP_MAX_MBH:-1}" "${SOAK_RSS_MAX_MBH:-1}" "${SOAK_FLOOR_MAX_KB:-off}" <<'PY'
import sys
path, dur, asan, rc, meas, cells_before, errlog = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4]), sys.argv[5], int(sys.argv[6]), sys.argv[7]
heap_max = float(sys.argv[8]); rss_max = float(sys.argv[9]) if sys.argv[9] != "off" else None
floor_max = float(sys.argv[10]) if sys.argv[10] != "off" else None
rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
fails = []
warm = [r for r in rows if r[1] >= 1]          # from the second sweep on: caches, plans, pages warm
if len(warm) < 6 or warm[-1][1] < 2:
    print("FAIL: too few samples after warm-up (%d steps of %d sweeps) in %g s" % (len(warm), int(rows[-1][1]) if rows else 0, dur)); sys.exit(1)
def trend(col, rows):
    """pooled within-step-index least-squares slope of column col on time, in MB/h"""
    groups = {}
    for r in rows: groups.setdefault(int(r[2]), []).append(r)
    sxy = sxx = 0.0
    for g in groups.values():
        mt = sum(r[0] for r in g) / len(g); mv = sum(col(r) for r in g) / len(g)
        sxy += sum((r[0] - mt) * (col(r) - mv) for r in g); sxx += sum((r[0] - mt) ** 2 for r in g)
    return (sxy / sxx if sxx > 0 else 0.0) * 3600 / 1048576
have_heap = all(len(r) >= 10 and r[8] >= 0 for r in warm)
rss_trend = trend(lambda r: r[3] * 1024, warm)
own_trend = trend(lambda r: r[8] - r[9], warm) if have_heap else float("nan")     # heap minus SQLite
rss_own_trend = trend(lambda r: r[3] * 1024 - r[9], warm) if have_heap else rss_trend  # RSS minus SQLite
trend = rss_trend
rss = [r[3] for r in warm]; fds = [int(r[4]) for r in warm]
if have_heap and own_trend >= heap_max: fails.append("heap (without SQLite's cache) grows %.2f MB/h (>= %g)" % (own_trend, heap_max))
# the heap floor: the lowest heap-without-SQLite between dwells (samples taken during a dwell sit
# 2-5 MB higher with its decoder objects, which is what makes the trend above noisy), third
# quarter of the run against last quarter, both after the unplug; samples over 4 MB below the
# median (device closed) are left out. A growth here is memory kept from sweep to sweep.
floor_kb = None
if have_heap:
    own = sorted(r[8] - r[9] for r in warm); med = own[len(own) // 2]
    def floor(lo, hi):
        v = [r[8] - r[9] for r in warm if lo <= r[0] / dur < hi and r[8] - r[9] > med - 4 * 1048576]
        return min(v) if v else None
    f3, f4 = floor(0.5, 0.75), floor(0.75, 2)
    if f3 is not None and f4 is not None: floor_kb = (f4 - f3) / 1024
if floor_max is not None and floor_kb is not None and floor_kb >= floor_max:
    fails.append("heap floor (without SQLite) grew %.0f kB from the third to the last quarter (>= %g)" % (floor_kb, floor_max))
if not asan and rss_max is not None and rss_own_trend >= rss_max: fails.append("RSS without SQLite's cache grows %.2f MB/h (>= %g)" % (rss_own_trend, rss_max))
if max(fds) - min(fds) > 2 or fds[-1] > fds[0] + 1: fails.append("fd count grows: %s" % fds)
if rc != 0: fails.append("daemon exit %d after SIGTERM (see %s)" % (rc, errlog))
try: m = int(meas)
except ValueError: m = -1; fails.append("database unreadable: %s" % meas)
if m < cells_before: fails.append("%d measurements in the database, %d counted by the daemon" % (m, cells_before))
print("soak: %g s, %d sweeps, RSS %d -> %d kB (after warm-up), RSS trend %s MB/h (%s without SQLite's page cache), heap trend without SQLite %s MB/h, heap floor %s kB (third to last quarter), SQLite %.1f -> %.1f MB, fds %d..%d, %d cells counted, %d measurements stored, exit %d%s"
      % (dur, int(rows[-1][1]), rss[0], rss[-1], "%.3f" % rss_trend if not asan else "n/a (ASan)", "%.3f" % rss_own_trend if not asan else "n/a",
         "%.3f" % own_trend, "%+.0f" % floor_kb if floor_kb is not None else "n/a", warm[0][9] / 1048576 if have_heap else -1, warm[-1][9] / 1048576 if have_heap else -1, min(fds), max(fds), cells_before, m, rc,
         "" if not fails else "; FAIL: " + "; ".join(fails)))
sys.exit(1 if fails else 0)
PY
