#!/usr/bin/env bash
# e2e_daemon_faults.sh: e2e_daemon.sh with overflows, read stalls and the radio vanishing mid-sweep.
exec bash "$(dirname "$0")/e2e_daemon.sh" faults
