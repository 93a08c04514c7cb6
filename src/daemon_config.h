/* daemon_config.h: the daemon's configuration file (libconfig syntax; the commented example is
 * docs/cellsurvey.conf.example, every key is described in docs/daemon.md). */
#ifndef CS_DAEMON_CONFIG_H
#define CS_DAEMON_CONFIG_H

#include "cellsurvey/error.h"
#include "scan.h"

typedef struct {
  char device[512];        /* SoapySDR args */
  char bands[256];         /* "egsm900,dcs1800,lte3" */
  cs_scan_band band_list[CS_SCAN_MAX_BANDS];
  int n_bands;
  double interval_s;       /* between the starts of two sweeps */
  double gsm_dwell_s, lte_dwell_s, detect_dwell_s; /* 0: planner defaults */
  double rate;             /* 0: planner default */
  double gain_db;          /* NAN: device model default */
  double reopen_timeout_s; /* 0: wait for a vanished device forever */
  char database[4096];     /* SQLite file (or postgresql:// URI) */
  char gps[512];           /* "" = none; gpsd[:HOST:PORT], nmea:PATH, fixed:LAT,LON[,ALT] */
  int status_enabled;
  char status_listen[64];  /* IPv4 address; default 127.0.0.1 */
  int status_port;         /* default 8470 */
  char status_token[128];  /* required when status_listen is not loopback */
  int log_level;           /* syslog levels: 3 error, 4 warning, 6 info, 7 debug */
  long cycles;             /* stop after this many sweeps; 0 = run until stopped */
} cs_daemon_config;

/* Read and check a config file. CS_ERR_INPUT naming the file, line and key on any problem. */
cs_status cs_daemon_config_load(const char *path, cs_daemon_config *cfg, cs_err *err);

/* 1 for 127.0.0.0/8 */
int cs_daemon_is_loopback(const char *ipv4);

#endif
