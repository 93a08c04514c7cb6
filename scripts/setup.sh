#!/usr/bin/env bash
# setup.sh: install the Debian packages cellsurvey needs (only those missing), then configure and
# build into build/. Used by the README's two commands and by .ci/run. Extra cmake arguments pass
# through: scripts/setup.sh -DCS_SANITIZE=ON
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config
  libsoapysdr-dev soapysdr-tools libliquid-dev libfftw3-dev libusb-1.0-0-dev
  libsqlite3-dev sqlite3 libcjson-dev
  libpq-dev libgdal-dev gdal-bin python3 libxml2-utils chromium postgresql postgresql-15-postgis-3
  libgps-dev gpsd gpsd-clients libmicrohttpd-dev libsystemd-dev libconfig-dev curl
  clang libclang-rt-14-dev valgrind systemd
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCS_WERROR=ON "$@" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
