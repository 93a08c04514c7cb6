/* daemon_config.c: parse and check the daemon's config file with libconfig. */
#include "daemon_config.h"

#include <arpa/inet.h>
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int cs_daemon_is_loopback(const char *ip) {
  struct in_addr a;
  if (inet_pton(AF_INET, ip, &a) != 1) return 0;
  return (ntohl(a.s_addr) >> 24) == 127;
}

static int get_num(const config_t *c, const char *key, double *v) {
  const config_setting_t *s = config_lookup(c, key);
  if (!s) return 0;
  int t = config_setting_type(s);
  if (t == CONFIG_TYPE_INT) *v = config_setting_get_int(s);
  else if (t == CONFIG_TYPE_INT64) *v = (double)config_setting_get_int64(s);
  else if (t == CONFIG_TYPE_FLOAT) *v = config_setting_get_float(s);
  else return -1;
  return 1;
}

static cs_status num(const config_t *c, const char *path, const char *key, double lo, double hi,
                     double *out, cs_err *err) {
  double v;
  int r = get_num(c, key, &v);
  if (r == 0) return CS_OK;
  if (r < 0 || !isfinite(v) || v < lo || v > hi)
    return cs_fail(err, CS_ERR_INPUT, "%s: '%s' must be a number from %g to %g", path, key, lo, hi);
  *out = v;
  return CS_OK;
}

static cs_status str(const config_t *c, const char *path, const char *key, char *out, size_t cap,
                     cs_err *err) {
  const config_setting_t *s = config_lookup(c, key);
  if (!s) return CS_OK;
  const char *v = config_setting_get_string(s);
  if (!v) return cs_fail(err, CS_ERR_INPUT, "%s:%d: '%s' must be a string", path, config_setting_source_line(s), key);
  if (strlen(v) >= cap) return cs_fail(err, CS_ERR_INPUT, "%s:%d: '%s' is too long", path, config_setting_source_line(s), key);
  strcpy(out, v);
  return CS_OK;
}

/* bands = "egsm900,lte3"; or bands = ["egsm900", "lte3"]; */
static cs_status bands(const config_t *c, const char *path, cs_daemon_config *cfg, cs_err *err) {
  const config_setting_t *s = config_lookup(c, "scan.bands");
  if (!s) return cs_fail(err, CS_ERR_INPUT, "%s: scan.bands is required (e.g. \"egsm900,dcs1800,lte3\")", path);
  cfg->bands[0] = '\0';
  if (config_setting_type(s) == CONFIG_TYPE_STRING) {
    snprintf(cfg->bands, sizeof cfg->bands, "%s", config_setting_get_string(s));
  } else if (config_setting_is_aggregate(s)) {
    for (int i = 0; i < config_setting_length(s); i++) {
      const char *b = config_setting_get_string_elem(s, i);
      if (!b) return cs_fail(err, CS_ERR_INPUT, "%s:%d: scan.bands entries must be strings", path, config_setting_source_line(s));
      size_t len = strlen(cfg->bands);
      if (len + strlen(b) + 2 >= sizeof cfg->bands) return cs_fail(err, CS_ERR_INPUT, "%s: scan.bands too long", path);
      snprintf(cfg->bands + len, sizeof cfg->bands - len, "%s%s", len ? "," : "", b);
    }
  } else {
    return cs_fail(err, CS_ERR_INPUT, "%s:%d: scan.bands must be a string or a list of strings", path, config_setting_source_line(s));
  }
  cs_err e2;
  if (cs_scan_parse_bands(cfg->bands, cfg->band_list, CS_SCAN_MAX_BANDS, &cfg->n_bands, &e2))
    return cs_fail(err, CS_ERR_INPUT, "%s:%d: scan.%s", path, config_setting_source_line(s), e2.msg + 2);
  return CS_OK;
}

cs_status cs_daemon_config_load(const char *path, cs_daemon_config *cfg, cs_err *err) {
  memset(cfg, 0, sizeof *cfg);
  cfg->interval_s = 900;
  cfg->gain_db = NAN;
  snprintf(cfg->database, sizeof cfg->database, "/var/lib/cellsurvey/cellsurvey.db");
  cfg->status_enabled = 1;
  snprintf(cfg->status_listen, sizeof cfg->status_listen, "127.0.0.1");
  cfg->status_port = 8470;
  cfg->log_level = 6;

  config_t c;
  config_init(&c);
  cs_status st = CS_OK;
  if (!config_read_file(&c, path)) {
    if (config_error_type(&c) == CONFIG_ERR_FILE_IO)
      st = cs_fail(err, CS_ERR_INPUT, "%s: cannot read the config file", path);
    else
      st = cs_fail(err, CS_ERR_INPUT, "%s:%d: %s", path, config_error_line(&c), config_error_text(&c));
    config_destroy(&c);
    return st;
  }
  static const char *known[] = {"device", "scan", "storage", "gps", "status", "log_level", NULL};
  const config_setting_t *root = config_root_setting(&c);
  for (int i = 0; i < config_setting_length(root) && !st; i++) {
    const config_setting_t *s = config_setting_get_elem(root, i);
    int ok = 0;
    for (int k = 0; known[k]; k++) ok |= !strcmp(config_setting_name(s), known[k]);
    if (!ok) st = cs_fail(err, CS_ERR_INPUT, "%s:%d: unknown setting '%s'", path, config_setting_source_line(s), config_setting_name(s));
  }
  double v;
  char level[16] = "info";
  if (!st) st = str(&c, path, "device", cfg->device, sizeof cfg->device, err);
  if (!st && !cfg->device[0]) st = cs_fail(err, CS_ERR_INPUT, "%s: 'device' is required (SoapySDR args, e.g. \"driver=hackrf\")", path);
  if (!st) st = bands(&c, path, cfg, err);
  if (!st) st = num(&c, path, "scan.interval", 0, 7 * 86400, &cfg->interval_s, err);
  if (!st) st = num(&c, path, "scan.dwell.gsm", 0.01, 60, &cfg->gsm_dwell_s, err);
  if (!st) st = num(&c, path, "scan.dwell.lte", 0.01, 60, &cfg->lte_dwell_s, err);
  if (!st) st = num(&c, path, "scan.dwell.detect", 0.001, 10, &cfg->detect_dwell_s, err);
  if (!st) st = num(&c, path, "scan.rate", 1e5, 1e8, &cfg->rate, err);
  if (!st) st = num(&c, path, "scan.gain", -20, 100, &cfg->gain_db, err);
  if (!st) st = num(&c, path, "scan.reopen_timeout", 0, 30 * 86400, &cfg->reopen_timeout_s, err);
  v = 0;
  if (!st) st = num(&c, path, "scan.cycles", 0, 1e9, &v, err);
  cfg->cycles = (long)v;
  if (!st) st = str(&c, path, "storage.database", cfg->database, sizeof cfg->database, err);
  if (!st) st = str(&c, path, "gps", cfg->gps, sizeof cfg->gps, err);
  if (!st) {
    const config_setting_t *en = config_lookup(&c, "status.enabled");
    if (en) cfg->status_enabled = config_setting_get_bool(en);
  }
  if (!st) st = str(&c, path, "status.listen", cfg->status_listen, sizeof cfg->status_listen, err);
  v = cfg->status_port;
  if (!st) st = num(&c, path, "status.port", 1, 65535, &v, err);
  cfg->status_port = (int)v;
  if (!st) st = str(&c, path, "status.token", cfg->status_token, sizeof cfg->status_token, err);
  if (!st) st = str(&c, path, "log_level", level, sizeof level, err);
  config_destroy(&c);
  if (st) return st;

  struct in_addr a;
  if (inet_pton(AF_INET, cfg->status_listen, &a) != 1)
    return cs_fail(err, CS_ERR_INPUT, "%s: status.listen '%s' is not an IPv4 address", path, cfg->status_listen);
  if (cfg->status_enabled && !cs_daemon_is_loopback(cfg->status_listen) && strlen(cfg->status_token) < 16)
    return cs_fail(err, CS_ERR_INPUT, "%s: status.listen %s is not loopback: set status.token (16+ characters)", path, cfg->status_listen);
  if (!strcasecmp(level, "error")) cfg->log_level = 3;
  else if (!strcasecmp(level, "warning")) cfg->log_level = 4;
  else if (!strcasecmp(level, "notice")) cfg->log_level = 5;
  else if (!strcasecmp(level, "info")) cfg->log_level = 6;
  else if (!strcasecmp(level, "debug")) cfg->log_level = 7;
  else return cs_fail(err, CS_ERR_INPUT, "%s: log_level '%s': want error, warning, notice, info or debug", path, level);
  if (cfg->gps[0]) {
    cs_gps *g;
    cs_err e2;
    /* check the spec only; fixed positions are checked here, sources open later */
    if (!strncmp(cfg->gps, "fixed:", 6)) {
      if (cs_gps_open(cfg->gps, &g, &e2)) return cs_fail(err, CS_ERR_INPUT, "%s: gps: %s", path, e2.msg);
      cs_gps_close(g);
    } else if (strncmp(cfg->gps, "gpsd", 4) && strncmp(cfg->gps, "nmea:", 5)) {
      return cs_fail(err, CS_ERR_INPUT, "%s: gps '%s': want gpsd[:HOST:PORT], nmea:PATH or fixed:LAT,LON[,ALT]", path, cfg->gps);
    }
  }
  return CS_OK;
}
