#!/usr/bin/env bash
# fuzz.sh [SECONDS] [TARGET...]: run the libFuzzer targets (fuzz/fuzz_*.c) for a long time, on
# demand (CI runs each for CS_FUZZ_SECONDS with `ctest -L fuzz`; this is the hours-long run).
#
#   scripts/fuzz.sh            every target for 1 hour each, one after the other
#   scripts/fuzz.sh 600 sigmf_meta record_json
#
# Builds into build-fuzz/ with clang (CC=clang, -DCS_FUZZ=ON: ASan+UBSan, coverage). Inputs that
# find new coverage accumulate in build-fuzz/fuzz/work/<target>/corpus (kept between runs; the
# committed seeds in fuzz/corpus/<target>/ are only read). A crash leaves
# build-fuzz/fuzz/work/<target>/artifacts/crash-*: fix it, then commit the file as
# fuzz/corpus/<target>/regress_<what>, so that every normal ctest run replays it.
# Prints one summary line per target: executions, exec/s, new units, crash or clean.
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-3600}
shift || true
BUILD=${BUILD_DIR:-build-fuzz}
command -v clang >/dev/null || { echo "fuzz.sh: needs clang and libFuzzer: apt-get install clang libclang-rt-14-dev" >&2; exit 1; }
CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCS_FUZZ=ON >/dev/null || exit 1
cmake --build "$BUILD" -j2 >/dev/null || { echo "fuzz.sh: build failed" >&2; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.c; do t=$(basename "$f" .c); targets+=("${t#fuzz_}"); done
fi
status=0
for t in "${targets[@]}"; do
  work="$BUILD/fuzz/work/$t"
  mkdir -p "$work/corpus" "$work/artifacts"
  log="$work/last.log"
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 "$BUILD/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  if [ $rc -eq 0 ]; then verdict=clean; else verdict="CRASH (rc $rc, see $log and $work/artifacts)"; status=1; fi
  printf '%-16s %ss  executions %s  exec/s %s  new units %s  %s\n' "$t" "$SECONDS_EACH" "${execs:-?}" "${rate:-?}" "${units:-?}" "$verdict"
done
exit $status
