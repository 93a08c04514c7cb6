/* daemon.c: the unattended station's main loop (see daemon.h). One thread sweeps and writes;
 * libmicrohttpd's thread serves the state board; the GPS reader has its own thread. */
#include "daemon.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "daemon_config.h"
#include "daemon_status.h"
#include "gpsfix.h"
#include "scan.h"
#include "store.h"
#include "cellsurvey/clock.h"

#define MAX_PENDING 20000 /* records held in memory while the database cannot be written */

static volatile sig_atomic_t g_stop, g_reload;
static volatile int g_stop_int; /* the scan planner's stop flag mirrors g_stop */
static int g_log_level = 6;
static int g_journal;

static void on_term(int sig) { g_stop = 1; g_stop_int = 1; }
static void on_hup(int sig) { g_reload = 1; }

/* Logs go to stderr: with syslog level prefixes under systemd (the journal reads them), else
 * with a time stamp and the level's name. */
static void dlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dlog(int level, const char *fmt, ...) {
  if (level > g_log_level) return;
  static const char *names[] = {"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"};
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (g_journal) {
    fprintf(stderr, "<%d>%s\n", level, msg);
  } else {
    char ts[40];
    cs_format_time(cs_clock_s(CLOCK_REALTIME), ts, sizeof ts);
    fprintf(stderr, "%s cellsurvey[%s]: %s\n", ts, names[level & 7], msg);
  }
}

typedef struct {
  cs_daemon_config cfg;
  const char *config_path;
  long cycles_override;
  cs_status_board board;
  cs_status_http *http;
  cs_gps *gps;
  cs_store *store;
  cs_scan *scan;
  cs_cell_record *recs;  /* measurements not yet committed (see "storage") */
  size_t n_recs, n_in_tx;
  uint64_t dropped;
  int store_ok;
  uint64_t wd_usec;
  double last_ping;
} daemon_t;

static void ping(daemon_t *d) {
  double t = cs_clock_s(CLOCK_MONOTONIC);
  if (!d->wd_usec || t - d->last_ping < 1.0) return;
  sd_notify(0, "WATCHDOG=1");
  d->last_ping = t;
}

static void refresh_gps(daemon_t *d) {
  cs_gps_fix f;
  char h[512];
  cs_gps_get(d->gps, &f);
  cs_gps_health(d->gps, h, sizeof h);
  pthread_mutex_lock(&d->board.lock);
  d->board.fix = f;
  d->board.gps_configured = d->gps != NULL;
  snprintf(d->board.gps_health, sizeof d->board.gps_health, "%s", d->gps ? h : "not configured");
  pthread_mutex_unlock(&d->board.lock);
}

static void set_state(daemon_t *d, const char *state) {
  pthread_mutex_lock(&d->board.lock);
  snprintf(d->board.state, sizeof d->board.state, "%s", state);
  pthread_mutex_unlock(&d->board.lock);
  sd_notifyf(0, "STATUS=%s", state);
}

/* ---- storage ----
 * Every record is kept in memory until a commit has made it durable: recs[0 .. n_in_tx) are in
 * the store's open transaction, recs[n_in_tx .. n_recs) wait to be added. When the database fails
 * (disk full, I/O error) it is closed, which rolls its open transaction back, so every record
 * since the last commit is still here and is written again once the database can be reopened:
 * nothing is lost and nothing is written twice. Commits happen before each dwell. */

static cs_status open_store(daemon_t *d, int quiet);

static void storage_state(daemon_t *d, int ok, const char *error) {
  d->store_ok = ok;
  pthread_mutex_lock(&d->board.lock);
  d->board.storage_ok = ok;
  d->board.disk_full = !ok && error && (strstr(error, "full") || strstr(error, "space"));
  snprintf(d->board.storage_error, sizeof d->board.storage_error, "%s", ok ? "" : error);
  if (!ok) d->board.store_errors++;
  d->board.pending = d->n_recs;
  pthread_mutex_unlock(&d->board.lock);
}

static void store_fail(daemon_t *d, const cs_err *err) {
  if (d->store_ok) dlog(3, "%s: holding measurements in memory until it can be written", err->msg);
  storage_state(d, 0, err->msg);
  cs_err e2;
  cs_store_close(d->store, &e2); /* fails too: the open transaction is rolled back */
  d->store = NULL;
  d->n_in_tx = 0;
}

static void store_commit(daemon_t *d) {
  cs_err err;
  if (!d->store && open_store(d, 1)) return;
  while (d->n_in_tx < d->n_recs) {
    if (cs_store_add_record(d->store, &d->recs[d->n_in_tx], NULL, &err)) { store_fail(d, &err); return; }
    d->n_in_tx++;
  }
  if (cs_store_commit(d->store, &err)) { store_fail(d, &err); return; }
  d->board.stored += d->n_in_tx; /* counters: only this thread writes them */
  memmove(d->recs, d->recs + d->n_in_tx, sizeof *d->recs * (d->n_recs - d->n_in_tx));
  d->n_recs -= d->n_in_tx;
  d->n_in_tx = 0;
  if (!d->store_ok) dlog(5, "database writable again: %llu measurements stored in all", (unsigned long long)d->board.stored);
  storage_state(d, 1, NULL);
}

static void store_record(daemon_t *d, const cs_cell_record *r) {
  if (d->n_recs == MAX_PENDING) store_commit(d);
  if (d->n_recs == MAX_PENDING) {
    if (!d->dropped++) dlog(3, "database unwritable and %d measurements held: dropping new ones", MAX_PENDING);
    return;
  }
  d->recs[d->n_recs++] = *r;
  if (d->store && d->n_in_tx == d->n_recs - 1) { /* nothing waits: straight into the transaction */
    cs_err err;
    if (cs_store_add_record(d->store, r, NULL, &err)) store_fail(d, &err);
    else d->n_in_tx++;
  }
  pthread_mutex_lock(&d->board.lock);
  d->board.pending = d->n_recs;
  pthread_mutex_unlock(&d->board.lock);
}

/* ---- scan callbacks ---- */

static void on_record(void *ctx, const cs_cell_record *r) {
  daemon_t *d = ctx;
  store_record(d, r);
  cs_status_board_cell(&d->board, r);
  dlog(7, "cell %s %s ch %d", r->rat == CS_RAT_GSM ? "GSM" : "LTE", r->band, r->rat == CS_RAT_GSM ? r->arfcn : r->earfcn);
  ping(d);
}

/* channel powers of a detection dwell: written while the database works, not held while it
 * does not (the cells decoded and the track are held) */
static void on_channels(void *ctx, const cs_cell_record *where, const cs_channel *rows, int n) {
  daemon_t *d = ctx;
  if (!d->store) return;
  cs_err err;
  if (cs_store_add_spectrum(d->store, where, rows, n, &err)) store_fail(d, &err);
}

static void on_step(void *ctx, const cs_scan_step *s) {
  daemon_t *d = ctx;
  pthread_mutex_lock(&d->board.lock);
  d->board.last_step = *s;
  d->board.have_step = 1;
  d->board.overflows += s->overflows;
  d->board.timeouts += s->timeouts;
  pthread_mutex_unlock(&d->board.lock);
  dlog(s->cells || !strncmp(s->verdict, "no carrier", 10) ? 7 : 6,
       "%s step %d/%d %.3f MHz: ADC %.1f dBFS, noise %.1f dBFS/200kHz, %d GSM ch, %d LTE, %d cells: %s",
       s->band, s->step + 1, s->n_steps, s->center_hz / 1e6, s->adc_dbfs, s->noise_dbfs_200k,
       s->gsm_occupied, s->lte_carriers, s->cells, s->verdict);
  ping(d);
}

/* Called before each dwell: the previous dwell's records are committed here, with a track point
 * for where the kit is. */
static void on_progress(void *ctx, const char *band, int step, int n, int cells) {
  daemon_t *d = ctx;
  cs_gps_fix f;
  cs_gps_get(d->gps, &f);
  if (f.mode != 0) { /* where the kit was: a track point */
    cs_cell_record tp;
    cs_record_init(&tp);
    tp.time_unix = cs_clock_s(CLOCK_REALTIME);
    cs_gps_apply(&f, &tp);
    snprintf(tp.device, sizeof tp.device, "%.95s", d->cfg.device);
    store_record(d, &tp);
  }
  store_commit(d);
  pthread_mutex_lock(&d->board.lock);
  snprintf(d->board.band, sizeof d->board.band, "%s", band);
  d->board.step = step;
  d->board.n_steps = n;
  d->board.device_up = 1;
  pthread_mutex_unlock(&d->board.lock);
  refresh_gps(d);
  ping(d);
}

static void on_gap(void *ctx, const cs_scan_gap *g) {
  daemon_t *d = ctx;
  char a[40], b[40];
  cs_format_time(g->start_unix, a, sizeof a);
  cs_format_time(g->end_unix, b, sizeof b);
  pthread_mutex_lock(&d->board.lock);
  d->board.gaps++;
  d->board.device_up = 1;
  snprintf(d->board.state, sizeof d->board.state, "scanning");
  snprintf(d->board.last_gap, sizeof d->board.last_gap, "%s .. %s: %s", a, b, g->reason);
  pthread_mutex_unlock(&d->board.lock);
  dlog(4, "device gap %s .. %s (%.1f s): %s", a, b, g->end_unix - g->start_unix, g->reason);
}

static void on_log(void *ctx, int level, const char *msg) {
  daemon_t *d = ctx;
  if (level <= 4 && strstr(msg, "lost")) {
    pthread_mutex_lock(&d->board.lock);
    d->board.device_up = 0;
    snprintf(d->board.state, sizeof d->board.state, "waiting_for_device");
    pthread_mutex_unlock(&d->board.lock);
  }
  dlog(level, "%s", msg);
  ping(d);
}

/* ---- life cycle of the parts ---- */

static cs_status open_store(daemon_t *d, int quiet) {
  cs_err err;
  cs_status st = cs_store_open(d->cfg.database, &d->store, &err);
  if (!st) st = cs_store_begin_session(d->store, "daemon", NAN, d->cfg.device, d->cfg.bands, NULL, &err);
  if (st) {
    if (!quiet) dlog(3, "%s", err.msg);
    if (d->store) cs_store_close(d->store, &err);
    d->store = NULL;
    return st;
  }
  d->n_in_tx = 0;
  return CS_OK;
}

static void close_store(daemon_t *d) {
  store_commit(d);
  cs_err err;
  if (d->store && cs_store_end_session(d->store, NAN, &err)) dlog(3, "%s", err.msg);
  if (d->store && cs_store_close(d->store, &err)) dlog(3, "%s", err.msg);
  d->store = NULL;
  if (d->n_recs) dlog(3, "%zu measurements could not be written to %s", d->n_recs, d->cfg.database);
}

static cs_status open_gps(daemon_t *d) {
  if (!d->cfg.gps[0]) return CS_OK;
  cs_err err;
  cs_status st = cs_gps_open(d->cfg.gps, &d->gps, &err);
  if (st) dlog(3, "%s", err.msg);
  return st;
}

static cs_status start_http(daemon_t *d) {
  if (!d->cfg.status_enabled) return CS_OK;
  cs_err err;
  cs_status st = cs_status_http_start(&d->board, d->cfg.status_listen, d->cfg.status_port, d->cfg.status_token,
                                      &d->http, &err);
  if (st) dlog(3, "%s", err.msg);
  else dlog(6, "status on http://%s:%d/status and /metrics%s", d->cfg.status_listen, d->cfg.status_port,
            d->cfg.status_token[0] ? " (token required)" : "");
  return st;
}

static cs_status make_scan(daemon_t *d) {
  cs_scan_opts so;
  memset(&so, 0, sizeof so);
  so.device = d->cfg.device;
  so.bands = d->cfg.band_list;
  so.n_bands = d->cfg.n_bands;
  so.rate = d->cfg.rate;
  so.gain_db = d->cfg.gain_db;
  so.detect_dwell_s = d->cfg.detect_dwell_s;
  so.gsm_dwell_s = d->cfg.gsm_dwell_s;
  so.lte_dwell_s = d->cfg.lte_dwell_s;
  so.reopen_timeout_s = d->cfg.reopen_timeout_s;
  so.gps = d->gps;
  so.stop = &g_stop_int;
  so.ctx = d;
  so.on_record = on_record;
  so.on_step = on_step;
  so.on_progress = on_progress;
  so.on_gap = on_gap;
  so.on_log = on_log;
  so.on_channels = on_channels;
  cs_err err;
  cs_status st = cs_scan_create(&so, &d->scan, &err);
  pthread_mutex_lock(&d->board.lock);
  d->board.device_up = st == CS_OK;
  snprintf(d->board.device, sizeof d->board.device, "%s", d->cfg.device);
  pthread_mutex_unlock(&d->board.lock);
  if (st) dlog(st == CS_ERR_ENV ? 4 : 3, "%s", err.msg);
  else dlog(6, "device %s open: sweeping %s every %.0f s", d->cfg.device, d->cfg.bands, d->cfg.interval_s);
  return st;
}

/* SIGHUP: read the file again; apply what changed; keep everything on a bad file. */
static void reload(daemon_t *d) {
  g_reload = 0;
  sd_notify(0, "RELOADING=1");
  cs_daemon_config n;
  cs_err err;
  if (cs_daemon_config_load(d->config_path, &n, &err)) {
    dlog(3, "reload: %s: keeping the running configuration", err.msg);
    sd_notify(0, "READY=1");
    return;
  }
  cs_daemon_config old = d->cfg;
  d->cfg = n;
  g_log_level = n.log_level;
  if (strcmp(old.device, n.device) || strcmp(old.bands, n.bands) || old.rate != n.rate ||
      old.gsm_dwell_s != n.gsm_dwell_s || old.lte_dwell_s != n.lte_dwell_s ||
      old.detect_dwell_s != n.detect_dwell_s || !(old.gain_db == n.gain_db || (isnan(old.gain_db) && isnan(n.gain_db))) ||
      old.reopen_timeout_s != n.reopen_timeout_s || strcmp(old.gps, n.gps)) {
    cs_scan_destroy(d->scan); /* rebuilt with the new settings before the next sweep */
    d->scan = NULL;
  }
  if (strcmp(old.gps, n.gps)) {
    cs_gps_close(d->gps);
    d->gps = NULL;
    open_gps(d);
  }
  if (strcmp(old.database, n.database)) {
    cs_daemon_config keep = d->cfg;
    d->cfg = old;
    close_store(d);
    d->cfg = keep;
    open_store(d, 0);
  }
  if (old.status_enabled != n.status_enabled || strcmp(old.status_listen, n.status_listen) ||
      old.status_port != n.status_port || strcmp(old.status_token, n.status_token)) {
    cs_status_http_stop(d->http);
    d->http = NULL;
    start_http(d);
  }
  dlog(5, "configuration reloaded from %s", d->config_path);
  sd_notify(0, "READY=1");
}

/* Sleep until t (wall clock) or a signal, keeping the watchdog and the board fed. */
static void wait_until(daemon_t *d, double t) {
  while (!g_stop && !g_reload && cs_clock_s(CLOCK_REALTIME) < t) {
    usleep(200000);
    ping(d);
    refresh_gps(d);
    if (!d->store_ok) store_commit(d); /* retry the database while it is failing */
  }
}

int cs_daemon_run(const cs_daemon_opts *o) {
  static daemon_t d; /* large (the pending buffer pointer, board) and one per process */
  memset(&d, 0, sizeof d);
  g_journal = getenv("JOURNAL_STREAM") != NULL;
  d.config_path = o->config_path;
  cs_err err;
  if (cs_daemon_config_load(o->config_path, &d.cfg, &err)) {
    dlog(3, "%s", err.msg);
    return 2;
  }
  g_log_level = d.cfg.log_level;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sa.sa_handler = on_hup;
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  cs_status_board_init(&d.board);
  snprintf(d.board.device, sizeof d.board.device, "%s", d.cfg.device);
  d.recs = malloc(sizeof *d.recs * MAX_PENDING);
  d.store_ok = 1;
  int rc = 0;
  if (!d.recs) { dlog(3, "out of memory"); rc = 1; }
  if (!rc && open_store(&d, 0)) rc = 1;
  if (!rc && open_gps(&d)) rc = 2;
  if (!rc && start_http(&d)) rc = 1;
  if (sd_watchdog_enabled(0, &d.wd_usec) <= 0) d.wd_usec = 0;
  if (!rc) {
    sd_notify(0, "READY=1");
    dlog(6, "cellsurvey daemon started (config %s, database %s)", d.config_path, d.cfg.database);
  }
  long cycles = 0;
  while (!rc && !g_stop) {
    if (g_reload) reload(&d);
    refresh_gps(&d);
    if (!d.scan) {
      cs_status st = make_scan(&d);
      if (st == CS_ERR_INPUT) { rc = 2; break; }
      if (st) {
        set_state(&d, "waiting_for_device");
        wait_until(&d, cs_clock_s(CLOCK_REALTIME) + 2.0);
        continue;
      }
    }
    double t0 = cs_clock_s(CLOCK_REALTIME);
    set_state(&d, "scanning");
    cs_status st = cs_scan_sweep(d.scan, &err);
    double t1 = cs_clock_s(CLOCK_REALTIME);
    store_commit(&d);
    if (st) {
      dlog(3, "sweep: %s", err.msg);
      cs_scan_destroy(d.scan); /* the device is gone for good: open it afresh */
      d.scan = NULL;
      pthread_mutex_lock(&d.board.lock);
      d.board.device_up = 0;
      pthread_mutex_unlock(&d.board.lock);
      continue;
    }
    if (g_stop) break;
    cycles++;
    long limit = o->cycles > 0 ? o->cycles : d.cfg.cycles;
    pthread_mutex_lock(&d.board.lock);
    d.board.sweeps++;
    d.board.last_sweep_seconds = t1 - t0;
    d.board.last_sweep_cells = cs_scan_cells(d.scan);
    d.board.next_sweep_unix = limit && cycles >= limit ? NAN : t0 + d.cfg.interval_s;
    pthread_mutex_unlock(&d.board.lock);
    dlog(6, "sweep %ld done in %.1f s: %d cells", cycles, t1 - t0, cs_scan_cells(d.scan));
    if (limit && cycles >= limit) break;
    set_state(&d, "idle");
    wait_until(&d, t0 + d.cfg.interval_s);
  }
  sd_notify(0, "STOPPING=1");
  set_state(&d, "stopping");
  cs_scan_destroy(d.scan);
  close_store(&d);
  if (d.n_recs && !rc) rc = 1;
  cs_status_http_stop(d.http);
  cs_gps_close(d.gps);
  cs_status_board_free(&d.board);
  free(d.recs);
  dlog(6, "cellsurvey daemon stopped%s", g_stop ? " (signal)" : "");
  return rc;
}
