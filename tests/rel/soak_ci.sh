#!/usr/bin/env bash
# soak_ci.sh: the 2-minute CI version of scripts/soak.sh (the daemon on the simulated SDR with
# overflows, stalls and an unplug; heap and RSS trends, fd count, measurements vs database).
# The hour-long run is on demand: scripts/soak.sh (docs/reliability.md records one).
# Two minutes cannot resolve 1 MB/h: allocator and page warm-up dominate RSS, and a heap sample
# taken during a dwell sits 2-5 MB above one taken between dwells, so the heap trend swings by
# tens of MB/h (-20 MB/h measured on a flat run). CI asserts that trend below 200 MB/h and, the
# steadier check, the heap floor between dwells (without SQLite) growing less than 192 kB from the
# third to the last quarter of the run (measured: -18 kB; its spread between sweeps is about
# 25 kB; a 10 kB-per-sweep leak fails it), plus fds, measurements and a clean stop; the 1 MB/h
# limits apply to the hour-long run (docs/reliability.md).
SOAK_HEAP_MAX_MBH=${SOAK_HEAP_MAX_MBH:-200} SOAK_FLOOR_MAX_KB=${SOAK_FLOOR_MAX_KB:-192} SOAK_RSS_MAX_MBH=${SOAK_RSS_MAX_MBH:-off} exec bash "${CS_SOURCE_DIR:-.}/scripts/soak.sh" "${CS_SOAK_SECONDS:-120}" "${CS_TEST_TMP:-/tmp}/soak_ci"
