/* daemon.h: the unattended station: scheduled sweeps (src/scan.h) into the store, GPS, the
 * status endpoint, systemd notification and watchdog, signals (SIGTERM/SIGINT: finish the
 * dwell in progress, commit, exit 0; SIGHUP: reload the config). See docs/daemon.md. */
#ifndef CS_DAEMON_H
#define CS_DAEMON_H

typedef struct {
  const char *config_path;
  long cycles;            /* > 0: stop after this many sweeps (overrides the config) */
} cs_daemon_opts;

/* Run until stopped. Returns the process exit code: 0 clean stop, 1 environment (store, status
 * port), 2 bad config. */
int cs_daemon_run(const cs_daemon_opts *opts);

#endif
