/* daemon_status.c: the daemon's state board and its JSON / Prometheus renderings. */
#include "daemon_status.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scan_output.h"

void cs_status_board_init(cs_status_board *b) {
  memset(b, 0, sizeof *b);
  pthread_mutex_init(&b->lock, NULL);
  b->started_unix = (double)time(NULL);
  snprintf(b->state, sizeof b->state, "starting");
  b->storage_ok = 1;
  b->fix.mode = 0;
  b->next_sweep_unix = NAN;
  b->last_sweep_seconds = NAN;
}

void cs_status_board_free(cs_status_board *b) {
  for (int i = 0; i < b->n_last; i++) free(b->last_cells[i]);
  pthread_mutex_destroy(&b->lock);
}

void cs_status_board_cell(cs_status_board *b, const cs_cell_record *r) {
  char *j = cs_record_to_json(r);
  if (!j) return;
  pthread_mutex_lock(&b->lock);
  if (b->n_last == CS_STATUS_LAST_CELLS) {
    free(b->last_cells[0]);
    memmove(b->last_cells, b->last_cells + 1, sizeof(char *) * (CS_STATUS_LAST_CELLS - 1));
    b->n_last--;
  }
  b->last_cells[b->n_last++] = j;
  b->cells_total++;
  if (r->rat == CS_RAT_GSM) b->cells_gsm++;
  if (r->rat == CS_RAT_LTE) b->cells_lte++;
  pthread_mutex_unlock(&b->lock);
}

static void add_time(cJSON *o, const char *key, double t) {
  if (!isfinite(t)) { cJSON_AddNullToObject(o, key); return; }
  char ts[40];
  cs_format_time(t, ts, sizeof ts);
  cJSON_AddStringToObject(o, key, ts);
}

static void add_num(cJSON *o, const char *key, double v) {
  if (isfinite(v)) cJSON_AddNumberToObject(o, key, v);
  else cJSON_AddNullToObject(o, key);
}

char *cs_status_json(cs_status_board *b) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  pthread_mutex_lock(&b->lock);
  double now = (double)time(NULL);
  cJSON_AddStringToObject(o, "state", b->state);
  add_time(o, "time", now);
  cJSON_AddNumberToObject(o, "uptime_s", now - b->started_unix);
  cJSON_AddStringToObject(o, "band", b->band);
  cJSON_AddNumberToObject(o, "step", b->step);
  cJSON_AddNumberToObject(o, "n_steps", b->n_steps);
  cJSON_AddNumberToObject(o, "sweeps", (double)b->sweeps);
  add_time(o, "next_sweep", b->next_sweep_unix);
  add_num(o, "last_sweep_seconds", b->last_sweep_seconds);
  cJSON_AddNumberToObject(o, "last_sweep_cells", b->last_sweep_cells);

  cJSON *d = cJSON_AddObjectToObject(o, "device");
  cJSON_AddStringToObject(d, "args", b->device);
  cJSON_AddBoolToObject(d, "up", b->device_up);
  cJSON_AddNumberToObject(d, "gaps", (double)b->gaps);
  cJSON_AddStringToObject(d, "last_gap", b->last_gap);
  cJSON_AddNumberToObject(d, "overflows", (double)b->overflows);
  cJSON_AddNumberToObject(d, "timeouts", (double)b->timeouts);
  if (b->have_step) {
    const cs_scan_step *s = &b->last_step;
    cJSON *st = cJSON_AddObjectToObject(d, "last_step");
    cJSON_AddStringToObject(st, "band", b->band);
    cJSON_AddNumberToObject(st, "center_hz", s->center_hz);
    add_num(st, "adc_dbfs", s->adc_dbfs);
    add_num(st, "clip_fraction", s->clip_frac);
    add_num(st, "noise_dbfs_200khz", s->noise_dbfs_200k);
    cJSON_AddNumberToObject(st, "gsm_channels_occupied", s->gsm_occupied);
    cJSON_AddNumberToObject(st, "lte_carriers", s->lte_carriers);
    cJSON_AddNumberToObject(st, "cells", s->cells);
    cJSON_AddStringToObject(st, "verdict", s->verdict ? s->verdict : "");
  }

  cJSON *g = cJSON_AddObjectToObject(o, "gps");
  cJSON_AddBoolToObject(g, "configured", b->gps_configured);
  cJSON_AddStringToObject(g, "health", b->gps_health);
  cJSON_AddNumberToObject(g, "fix_mode", b->fix.mode);
  if (b->fix.mode != 0) {
    add_num(g, "lat", b->fix.lat);
    add_num(g, "lon", b->fix.lon);
    add_num(g, "alt", b->fix.alt);
    add_num(g, "eph_m", b->fix.eph_m);
    add_time(g, "fix_time", b->fix.time_unix);
  }

  cJSON *s = cJSON_AddObjectToObject(o, "storage");
  cJSON_AddBoolToObject(s, "ok", b->storage_ok);
  cJSON_AddBoolToObject(s, "disk_full", b->disk_full);
  cJSON_AddStringToObject(s, "error", b->storage_error);
  cJSON_AddNumberToObject(s, "stored", (double)b->stored);
  cJSON_AddNumberToObject(s, "pending", (double)b->pending);

  cJSON *c = cJSON_AddObjectToObject(o, "cells");
  cJSON_AddNumberToObject(c, "total", (double)b->cells_total);
  cJSON_AddNumberToObject(c, "gsm", (double)b->cells_gsm);
  cJSON_AddNumberToObject(c, "lte", (double)b->cells_lte);
  cJSON *last = cJSON_AddArrayToObject(o, "last_cells");
  for (int i = 0; i < b->n_last; i++) {
    cJSON *x = cJSON_Parse(b->last_cells[i]);
    if (x) cJSON_AddItemToArray(last, x);
  }
  pthread_mutex_unlock(&b->lock);
  char *out = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  return out;
}

/* Prometheus text exposition format 0.0.4. */
typedef struct {
  char *buf;
  size_t len, cap;
} sbuf;

static void sb_printf(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *s, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->buf ? s->buf + s->len : NULL, s->buf ? s->cap - s->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (s->buf && s->len + (size_t)n < s->cap) { s->len += (size_t)n; return; }
    size_t cap = (s->cap ? s->cap * 2 : 4096) + (size_t)n;
    char *b = realloc(s->buf, cap);
    if (!b) return;
    s->buf = b;
    s->cap = cap;
  }
}

static void metric(sbuf *s, const char *name, const char *type, const char *help, const char *labels, double v) {
  sb_printf(s, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
  if (isfinite(v)) sb_printf(s, "%s%s %.17g\n", name, labels ? labels : "", v);
  else sb_printf(s, "%s%s NaN\n", name, labels ? labels : "");
}

char *cs_status_metrics(cs_status_board *b) {
  sbuf s = {0};
  pthread_mutex_lock(&b->lock);
  double now = (double)time(NULL);
  metric(&s, "cellsurvey_up", "gauge", "1 while the daemon runs", NULL, 1);
  metric(&s, "cellsurvey_uptime_seconds", "gauge", "seconds since the daemon started", NULL, now - b->started_unix);
  metric(&s, "cellsurvey_scanning", "gauge", "1 while a sweep runs", NULL, !strcmp(b->state, "scanning"));
  metric(&s, "cellsurvey_sweeps_total", "counter", "sweeps completed", NULL, (double)b->sweeps);
  metric(&s, "cellsurvey_scan_step", "gauge", "current step of the band being swept", NULL, b->step);
  metric(&s, "cellsurvey_last_sweep_seconds", "gauge", "wall time of the last sweep", NULL, b->last_sweep_seconds);
  metric(&s, "cellsurvey_last_sweep_cells", "gauge", "cells decoded in the last sweep", NULL, b->last_sweep_cells);
  sb_printf(&s, "# HELP cellsurvey_cells_decoded_total cell observations decoded\n# TYPE cellsurvey_cells_decoded_total counter\n");
  sb_printf(&s, "cellsurvey_cells_decoded_total{rat=\"gsm\"} %llu\n", (unsigned long long)b->cells_gsm);
  sb_printf(&s, "cellsurvey_cells_decoded_total{rat=\"lte\"} %llu\n", (unsigned long long)b->cells_lte);
  metric(&s, "cellsurvey_device_up", "gauge", "1 while the radio is open", NULL, b->device_up);
  metric(&s, "cellsurvey_device_gaps_total", "counter", "times the radio vanished and came back", NULL, (double)b->gaps);
  metric(&s, "cellsurvey_device_overflows_total", "counter", "overflows (lost samples) seen in dwells", NULL, (double)b->overflows);
  metric(&s, "cellsurvey_device_timeouts_total", "counter", "read timeouts seen in dwells", NULL, (double)b->timeouts);
  if (b->have_step) {
    metric(&s, "cellsurvey_step_adc_dbfs", "gauge", "mean input level of the last step", NULL, b->last_step.adc_dbfs);
    metric(&s, "cellsurvey_step_clip_fraction", "gauge", "fraction of clipped samples in the last step", NULL, b->last_step.clip_frac);
    metric(&s, "cellsurvey_step_noise_dbfs", "gauge", "noise floor per 200 kHz in the last step", NULL, b->last_step.noise_dbfs_200k);
  }
  metric(&s, "cellsurvey_gps_fix_mode", "gauge", "0 no fix, 2 2D, 3 3D, -1 fixed position", NULL, b->fix.mode);
  metric(&s, "cellsurvey_storage_ok", "gauge", "1 while writes to the database succeed", NULL, b->storage_ok);
  metric(&s, "cellsurvey_disk_full", "gauge", "1 while the database's disk is full", NULL, b->disk_full);
  metric(&s, "cellsurvey_measurements_stored_total", "counter", "measurements committed to the database", NULL, (double)b->stored);
  metric(&s, "cellsurvey_store_errors_total", "counter", "failed database writes", NULL, (double)b->store_errors);
  metric(&s, "cellsurvey_measurements_pending", "gauge", "measurements held in memory waiting for the database", NULL, (double)b->pending);
  pthread_mutex_unlock(&b->lock);
  return s.buf;
}
