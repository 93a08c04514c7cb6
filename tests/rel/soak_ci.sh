#!/usr/bin/env bash
# soak_ci.sh: the 2-minute CI version of scripts/soak.sh (the daemon on the simulated SDR with
# overflows, stalls and an unplug; heap and RSS trends, fd count, measurements vs database).
# The hour-long run is on demand: scripts/soak.sh (docs/reliability.md records one).
exec bash "${CS_SOURCE_DIR:-.}/scripts/soak.sh" "${CS_SOAK_SECONDS:-120}" "${CS_TEST_TMP:-/tmp}/soak_ci"
