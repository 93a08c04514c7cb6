/* calibration.c: the per-device calibration store and the per-model power tables (see
 * cellsurvey/calibration.h).
 *
 * Store (JSON):
 *   {"version": 1, "devices": {"<serial>": {"model": "hackrf",
 *       "ppm": 1.8, "ppm_freq_hz": 947e6, "ppm_method": "gsm-fcch", "ppm_time": "2026-...Z",
 *       "power": [{"freq_hz": 947e6, "offset_db": 12.5, "time": "..."}]}}}
 * Model table data/calibration/<model>.json:
 *   {"model": "sim", "points": [{"freq_hz": 1e6, "offset_db": 10}, ...]}
 * offset_db everywhere is gain-independent: dBm = dBFS - gain_db + offset_db. */
#include "cellsurvey/calibration.h"
#include "cellsurvey/soapy.h"
#include "gsm/gsm_rxlev.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MEASURED_SPAN_HZ 100e6 /* a measured power offset applies within 100 MHz of where it was taken */
#define MAX_FILE (4 << 20)

struct cs_calibration {
  char path[4096];
  cJSON *root;
  char model[32];   /* the cached model table */
  cJSON *table;
};

const char *cs_calibration_path(const cs_calibration *c) { return c->path; }

static char *slurp(const char *path, cs_status *st, cs_err *err) {
  FILE *f = fopen(path, "rb");
  *st = CS_OK;
  if (!f) {
    if (errno != ENOENT) *st = cs_fail(err, CS_ERR_ENV, "%s: cannot read: %s", path, strerror(errno));
    return NULL;
  }
  char *buf = malloc(MAX_FILE + 1);
  size_t n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
  fclose(f);
  if (!buf || n > MAX_FILE) {
    free(buf);
    *st = cs_fail(err, buf ? CS_ERR_INPUT : CS_ERR_ENV, "%s: too large or out of memory", path);
    return NULL;
  }
  buf[n] = 0;
  return buf;
}

static void default_path(char *out, size_t cap) {
  const char *env = getenv("CELLSURVEY_CALIBRATION"), *xdg = getenv("XDG_DATA_HOME");
  const char *home = getenv("HOME");
  if (env && *env) snprintf(out, cap, "%s", env);
  else if (xdg && *xdg) snprintf(out, cap, "%s/cellsurvey/calibration.json", xdg);
  else snprintf(out, cap, "%s/.local/share/cellsurvey/calibration.json", home ? home : ".");
}

cs_status cs_calibration_load(const char *path, cs_calibration **out, cs_err *err) {
  *out = NULL;
  cs_calibration *c = calloc(1, sizeof *c);
  if (!c) return cs_fail(err, CS_ERR_ENV, "out of memory");
  if (path) snprintf(c->path, sizeof c->path, "%s", path);
  else default_path(c->path, sizeof c->path);
  cs_status st;
  char *text = slurp(c->path, &st, err);
  if (st != CS_OK) {
    free(c);
    return st;
  }
  if (text) {
    c->root = cJSON_Parse(text);
    free(text);
    cJSON *devs = c->root ? cJSON_GetObjectItem(c->root, "devices") : NULL;
    if (!cJSON_IsObject(c->root) || !cJSON_IsObject(devs)) {
      cJSON_Delete(c->root);
      free(c);
      return cs_fail(err, CS_ERR_INPUT, "%s: not a cellsurvey calibration store (want {\"devices\": {...}})", path ? path : "calibration store");
    }
  } else {
    c->root = cJSON_CreateObject();
    cJSON_AddNumberToObject(c->root, "version", 1);
    cJSON_AddObjectToObject(c->root, "devices");
  }
  *out = c;
  return CS_OK;
}

void cs_calibration_free(cs_calibration *c) {
  if (!c) return;
  cJSON_Delete(c->root);
  cJSON_Delete(c->table);
  free(c);
}

static cJSON *device(const cs_calibration *c, const char *serial) {
  if (!serial || !*serial) return NULL;
  return cJSON_GetObjectItem(cJSON_GetObjectItem(c->root, "devices"), serial);
}

int cs_calibration_ppm(const cs_calibration *c, const char *serial, double *ppm) {
  cJSON *p = cJSON_GetObjectItem(device(c, serial), "ppm");
  if (!cJSON_IsNumber(p)) return 0;
  *ppm = p->valuedouble;
  return 1;
}

int cs_calibration_apply(const cs_calibration *c, cs_source *src) {
  double ppm;
  if (!cs_soapy_is(src) || !cs_calibration_ppm(c, cs_soapy_get_info(src)->serial, &ppm)) return 0;
  cs_soapy_set_ppm(src, ppm);
  return 1;
}

void cs_calibration_apply_record(cs_cell_record *r, cs_power_cal kind, double offset_db) {
  int cal = kind != CS_POWER_UNCALIBRATED && isfinite(offset_db);
  r->calibrated = cal;
  r->power_dbm = cal ? r->power_dbfs + offset_db : NAN;
  r->rsrp_dbm = cal ? r->rsrp_dbfs + offset_db : NAN;
  r->rssi_dbm = cal ? r->rssi_dbfs + offset_db : NAN;
  r->rxlev = r->rat == CS_RAT_GSM && cal && isfinite(r->power_dbm) ? gsm_rxlev(r->power_dbm) : -1;
}

/* ---- model tables ---- */
static cJSON *load_table(const char *model) {
  char dirs[3][4096], exe[3000];
  int nd = 0;
  const char *env = getenv("CELLSURVEY_DATA");
  if (env && *env) snprintf(dirs[nd++], sizeof dirs[0], "%.3000s/calibration", env);
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *d = dirname(exe);
    snprintf(dirs[nd++], sizeof dirs[0], "%.3000s/../data/calibration", d);
    snprintf(dirs[nd++], sizeof dirs[0], "%.3000s/../share/cellsurvey/calibration", d);
  }
  for (int i = 0; i < nd; i++) {
    char path[4096 + 64];
    snprintf(path, sizeof path, "%.4000s/%.32s.json", dirs[i], model);
    cs_status st;
    cs_err e;
    char *text = slurp(path, &st, &e);
    if (!text) continue;
    cJSON *t = cJSON_Parse(text);
    free(text);
    if (t) return t;
  }
  return NULL;
}

/* Linear interpolation over the table's points (sorted by frequency), clamped at the ends. */
static int table_offset(const cJSON *table, double f, double *offset) {
  const cJSON *pts = cJSON_GetObjectItem(table, "points");
  int n = cJSON_GetArraySize(pts), have = 0;
  double f0 = 0, o0 = 0;
  for (int i = 0; i < n; i++) {
    const cJSON *p = cJSON_GetArrayItem(pts, i);
    const cJSON *pf = cJSON_GetObjectItem(p, "freq_hz"), *po = cJSON_GetObjectItem(p, "offset_db");
    if (!cJSON_IsNumber(pf) || !cJSON_IsNumber(po)) continue;
    double f1 = pf->valuedouble, o1 = po->valuedouble;
    if (f <= f1) {
      *offset = have && f1 > f0 ? o0 + (o1 - o0) * (f - f0) / (f1 - f0) : o1;
      return 1;
    }
    f0 = f1;
    o0 = o1;
    have = 1;
  }
  if (have) *offset = o0;
  return have;
}

cs_power_cal cs_calibration_power(const cs_calibration *c, const char *serial, const char *model,
                                  double freq_hz, double gain_db, double *offset_db) {
  /* measured on this device, nearest in frequency */
  const cJSON *pw = cJSON_GetObjectItem(device(c, serial), "power");
  double best = INFINITY, off = 0;
  for (int i = 0; i < cJSON_GetArraySize(pw); i++) {
    const cJSON *p = cJSON_GetArrayItem(pw, i);
    const cJSON *pf = cJSON_GetObjectItem(p, "freq_hz"), *po = cJSON_GetObjectItem(p, "offset_db");
    if (!cJSON_IsNumber(pf) || !cJSON_IsNumber(po)) continue;
    if (fabs(pf->valuedouble - freq_hz) < best) {
      best = fabs(pf->valuedouble - freq_hz);
      off = po->valuedouble;
    }
  }
  if (best <= MEASURED_SPAN_HZ) {
    *offset_db = off - gain_db;
    return CS_POWER_MEASURED;
  }
  if (!model || !*model) return CS_POWER_UNCALIBRATED;
  cs_calibration *mc = (cs_calibration *)c; /* the table cache is not part of the store's value */
  if (strcmp(mc->model, model)) {
    cJSON_Delete(mc->table);
    mc->table = load_table(model);
    snprintf(mc->model, sizeof mc->model, "%s", model);
  }
  if (mc->table && table_offset(mc->table, freq_hz, &off)) {
    *offset_db = off - gain_db;
    return CS_POWER_MODEL_TABLE;
  }
  return CS_POWER_UNCALIBRATED;
}

/* ---- writing ---- */
static cs_status mkdirs(const char *path, cs_err *err) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
      return cs_fail(err, CS_ERR_ENV, "cannot create %s: %s", tmp, strerror(errno));
    *p = '/';
  }
  return CS_OK;
}

static cs_status save(cs_calibration *c, cs_err *err) {
  cs_status st = mkdirs(c->path, err);
  if (st != CS_OK) return st;
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", c->path);
  char *text = cJSON_Print(c->root);
  if (!text) return cs_fail(err, CS_ERR_ENV, "out of memory writing %s", c->path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  size_t len = strlen(text);
  int ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
  int e = errno;
  if (fd >= 0) close(fd);
  free(text);
  if (!ok || rename(tmp, c->path) != 0) {
    if (ok) e = errno;
    unlink(tmp);
    return cs_fail(err, CS_ERR_ENV, "cannot write calibration store %s: %s", c->path, strerror(e));
  }
  return CS_OK;
}

static cJSON *device_for_write(cs_calibration *c, const char *serial, const char *model) {
  cJSON *devs = cJSON_GetObjectItem(c->root, "devices");
  cJSON *d = cJSON_GetObjectItem(devs, serial);
  if (!d) d = cJSON_AddObjectToObject(devs, serial);
  if (model && *model) {
    cJSON_DeleteItemFromObject(d, "model");
    cJSON_AddStringToObject(d, "model", model);
  }
  return d;
}

static void set_number(cJSON *o, const char *key, double v) {
  cJSON_DeleteItemFromObject(o, key);
  cJSON_AddNumberToObject(o, key, v);
}

static void set_string(cJSON *o, const char *key, const char *v) {
  cJSON_DeleteItemFromObject(o, key);
  cJSON_AddStringToObject(o, key, v);
}

static void now_iso(char *buf, size_t cap) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

cs_status cs_calibration_set_ppm(cs_calibration *c, const char *serial, const char *model,
                                 double ppm, double freq_hz, const char *method, cs_err *err) {
  if (!serial || !*serial)
    return cs_fail(err, CS_ERR_INPUT, "the device reports no serial: cannot store its calibration");
  if (!isfinite(ppm)) return cs_fail(err, CS_ERR_INPUT, "oscillator error is not a number");
  cJSON *d = device_for_write(c, serial, model);
  char when[32];
  now_iso(when, sizeof when);
  set_number(d, "ppm", ppm);
  set_number(d, "ppm_freq_hz", freq_hz);
  set_string(d, "ppm_method", method ? method : "");
  set_string(d, "ppm_time", when);
  return save(c, err);
}

cs_status cs_calibration_set_power(cs_calibration *c, const char *serial, const char *model,
                                   double freq_hz, double gain_db, double offset_db, cs_err *err) {
  if (!serial || !*serial)
    return cs_fail(err, CS_ERR_INPUT, "the device reports no serial: cannot store its calibration");
  if (!isfinite(offset_db)) return cs_fail(err, CS_ERR_INPUT, "power offset is not a number");
  cJSON *d = device_for_write(c, serial, model);
  cJSON *pw = cJSON_GetObjectItem(d, "power");
  if (!cJSON_IsArray(pw)) {
    cJSON_DeleteItemFromObject(d, "power");
    pw = cJSON_AddArrayToObject(d, "power");
  }
  for (int i = cJSON_GetArraySize(pw) - 1; i >= 0; i--) { /* replace a point at the same frequency */
    const cJSON *pf = cJSON_GetObjectItem(cJSON_GetArrayItem(pw, i), "freq_hz");
    if (cJSON_IsNumber(pf) && fabs(pf->valuedouble - freq_hz) < 1e3) cJSON_DeleteItemFromArray(pw, i);
  }
  cJSON *p = cJSON_CreateObject();
  char when[32];
  now_iso(when, sizeof when);
  cJSON_AddNumberToObject(p, "freq_hz", freq_hz);
  cJSON_AddNumberToObject(p, "offset_db", offset_db + gain_db);
  cJSON_AddNumberToObject(p, "gain_db", gain_db);
  cJSON_AddStringToObject(p, "time", when);
  cJSON_AddItemToArray(pw, p);
  return save(c, err);
}
