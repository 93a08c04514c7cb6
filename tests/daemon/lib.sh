# lib.sh: helpers for the daemon/scan end-to-end tests (sourced).
set -u
: "${CELLSURVEY:?}" "${CS_BUILD_DIR:?}" "${CS_SOURCE_DIR:?}"
export SOAPY_SDR_PLUGIN_PATH="$CS_BUILD_DIR/hw/sim"
TESTDIR="$CS_SOURCE_DIR/tests/daemon"
SHARED="${CS_SHARED_CAPTURES:-$CS_SOURCE_DIR/../shared/captures}"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null; done; }
trap cleanup EXIT

need_shared() {
  if [ ! -d "$SHARED/gsm" ] || [ ! -d "$SHARED/lte" ]; then
    echo "SKIP: shared captures not found at $SHARED (a fresh clone has no ../shared; CI has it)"
    exit 77
  fi
}
need_gpsfake() {
  if ! command -v gpsfake >/dev/null || ! { command -v gpsd >/dev/null || [ -x /usr/sbin/gpsd ]; }; then
    echo "SKIP: gpsfake/gpsd not installed (apt-get install gpsd gpsd-clients)"
    exit 77
  fi
}

# make_scene DIR CAPTURE... : a scene directory of links to shared captures (gsm/NAME, lte/NAME)
make_scene() {
  local dir=$1; shift
  rm -rf "$dir"; mkdir -p "$dir"
  for c in "$@"; do
    ln -s "$SHARED/$c.sigmf-meta" "$dir/"
    ln -s "$SHARED/$c.sigmf-data" "$dir/"
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_gpsfake PORT : gpsd fed by gpsfake looping the test track; waits for the first fix
start_gpsfake() {
  local port=$1
  PATH="$PATH:/usr/sbin" setsid gpsfake -q -n -c 0.5 -P "$port" "$TESTDIR/track.nmea" >/dev/null 2>&1 &
  PIDS+=($!)
  # grep stops the pipe at the first 3D fix; the generous timeout is for a loaded machine, where
  # gpsfake (Python) can take more than 2 s to deliver the first TPV
  for _ in $(seq 40); do
    if timeout 8 gpspipe -w -n 40 "127.0.0.1:$port" 2>/dev/null | grep -q '"class":"TPV".*"mode":3'; then return 0; fi
    sleep 0.3
  done
  echo "FAIL: gpsfake on port $port gave no fix"; exit 1
}

# the track's bounds (tests/daemon/track.nmea)
TRACK=2.3456,2.3486,32.9012,32.9070

fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# make_noise_scene DIR : a scene of one short noise capture at 2.4 GHz (outside every band scanned
# in the tests), for tests that need a radio but no cells
make_noise_scene() {
  rm -rf "$1"; mkdir -p "$1"
  python3 - "$1" <<'PY'
import json, os, random, struct, sys
d = sys.argv[1]
random.seed(1)
with open(os.path.join(d, "noise.sigmf-data"), "wb") as f:
    f.write(b"".join(struct.pack("<hh", int(random.gauss(0, 30)), int(random.gauss(0, 30))) for _ in range(20000)))
json.dump({"global": {"core:datatype": "ci16_le", "core:sample_rate": 1e6, "core:version": "1.0.0"},
           "captures": [{"core:sample_start": 0, "core:frequency": 2.4e9}], "annotations": []},
          open(os.path.join(d, "noise.sigmf-meta"), "w"))
PY
}

# wait_status PORT PYEXPR [TOKEN]: poll /status until the Python expression over s (the JSON) holds
wait_status() {
  local port=$1 expr=$2 tok=${3:-}
  for _ in $(seq 240); do
    if curl -sf ${tok:+-H "Authorization: Bearer $tok"} "http://127.0.0.1:$port/status" 2>/dev/null |
       python3 -c "import json,sys; s=json.load(sys.stdin); sys.exit(0 if ($expr) else 1)" 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  return 1
}
