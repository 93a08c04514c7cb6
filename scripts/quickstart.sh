#!/usr/bin/env bash
# quickstart.sh: the README's two commands.
#   scripts/quickstart.sh demo   install what is missing, build, survey the bundled captures
#   scripts/quickstart.sh test   install what is missing, build, run the whole test suite
#                                (normal build, then again under AddressSanitizer + UBSan)
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
  ;;
*)
  echo "usage: scripts/quickstart.sh demo|test" >&2
  exit 2
  ;;
esac
