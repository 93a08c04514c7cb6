#!/usr/bin/env bash
# quickstart.sh: the README's two commands.
#   scripts/quickstart.sh demo   install what is missing, build, survey the bundled captures
#   scripts/quickstart.sh test   install what is missing, build, run the whole test suite
#                                (normal build, again under AddressSanitizer + UBSan, then every
#                                libFuzzer target for 20 s with clang)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
case "$mode" in
demo)
  scripts/setup.sh
  exec scripts/demo.sh
  ;;
test)
  scripts/setup.sh
  echo "== tests (build/)"
  (cd build && ctest --output-on-failure -j2)
  echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
  BUILD_DIR=build-asan scripts/setup.sh -DCS_SANITIZE=ON
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j2 -LE 'bench|soak-long')
  echo "== libFuzzer targets, 20 s each (build-fuzz/; scripts/fuzz.sh runs them for hours)"
  CC=clang CXX=clang++ BUILD_DIR=build-fuzz scripts/setup.sh -DCS_FUZZ=ON -DCS_FUZZ_SECONDS=20
  (cd build-fuzz && ctest --output-on-failure -j2 -L '^fuzz$')
  ;;
*)
  echo "usage: scripts/quickstart.sh demo|test" >&2
  exit 2
  ;;
esac
