/* cmd_daemon.c: `cellsurvey daemon --config FILE`: the unattended station (src/daemon.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "daemon.h"
#include "daemon_config.h"

static const char usage[] =
    "usage: cellsurvey daemon --config FILE [--check] [--cycles N]\n"
    "\n"
    "Runs the unattended station: sweeps the configured bands every interval, stores every\n"
    "measurement, serves its state on the status endpoint. Made for systemd (Type=notify,\n"
    "watchdog); SIGTERM finishes the dwell in progress and exits, SIGHUP reloads FILE.\n"
    "See docs/daemon.md and docs/cellsurvey.conf.example.\n"
    "\n"
    "  --config FILE  configuration (libconfig syntax)\n"
    "  --check        check FILE and exit (0 good, 2 bad)\n"
    "  --cycles N     stop after N sweeps (overrides scan.cycles)\n"
    "\n"
    "Exit status: 0 stopped cleanly, 1 environment failure (database, status port), 2 bad config.\n";

int cmd_daemon(int argc, char **argv) {
  static const struct option opts[] = {
      {"config", required_argument, NULL, 'c'}, {"check", no_argument, NULL, 'k'},
      {"cycles", required_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  cs_daemon_opts o = {0};
  int check = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'c': o.config_path = optarg; break;
    case 'k': check = 1; break;
    case 'n': {
      char *end;
      o.cycles = strtol(optarg, &end, 10);
      if (*end || o.cycles < 1) { fprintf(stderr, "cellsurvey daemon: --cycles wants a count >= 1\n"); return 2; }
      break;
    }
    case 'h': fputs(usage, stdout); return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  if (!o.config_path || optind < argc) { fputs(usage, stderr); return 2; }
  if (check) {
    cs_daemon_config cfg;
    cs_err err;
    if (cs_daemon_config_load(o.config_path, &cfg, &err)) {
      fprintf(stderr, "cellsurvey daemon: %s\n", err.msg);
      return 2;
    }
    printf("%s: ok (device %s, bands %s, every %.0f s, database %s)\n", o.config_path, cfg.device, cfg.bands,
           cfg.interval_s, cfg.database);
    return 0;
  }
  return cs_daemon_run(&o);
}
