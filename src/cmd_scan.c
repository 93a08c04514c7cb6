/* cmd_scan.c: `cellsurvey scan`: sweep bands with a live radio, decode every cell, print JSON
 * Lines or a table, optionally store into a database. */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "gpsfix.h"
#include "scan.h"
#include "scan_output.h"
#include "store.h"

static const char usage[] =
    "usage: cellsurvey scan --device ARGS --bands LIST [--json] [--db FILE] [--gps SPEC]\n"
    "                       [--repeat N | --forever] [--rate SPS] [--gain DB]\n"
    "                       [--gsm-dwell S] [--lte-dwell S] [--quiet]\n"
    "\n"
    "Sweeps each band with a SoapySDR radio in steps of its usable bandwidth, finds occupied GSM\n"
    "channels and LTE carriers, dwells to decode them and reports every cell found.\n"
    "\n"
    "  --device ARGS   SoapySDR device args: driver=hackrf, driver=lime,serial=...,\n"
    "                  driver=cellsurvey-sim,scene=DIR\n"
    "  --bands LIST    comma-separated: gsm850, pgsm900, egsm900, dcs1800, pcs1900, lte<N>\n"
    "  --json          one JSON object per cell on stdout (JSON Lines, docs/records.md)\n"
    "  --db FILE       also store every measurement (SQLite file)\n"
    "  --gps SPEC      gpsd[:HOST:PORT], nmea:PATH[@BAUD] or fixed:LAT,LON[,ALT]\n"
    "  --repeat N      sweep N times;  --forever  sweep until interrupted\n"
    "  --rate SPS      sweep sample rate (default: the device's, at most 20e6)\n"
    "  --gain DB       manual gain (default: the device model's per band)\n"
    "  --gsm-dwell S   GSM decode dwell (default 1.2 s: SI3 and SI4 surely seen)\n"
    "  --lte-dwell S   LTE decode dwell per carrier (default 0.2 s: two SIB1 periods)\n"
    "  --quiet         no step diagnostics on stderr\n"
    "\n"
    "Exit status: 0 done, 1 environment failure (device, disk), 2 bad input.\n";

static volatile int stop_flag;
static void on_signal(int sig) { stop_flag = 1; }

typedef struct {
  int json, tty_out, tty_err, quiet;
  cs_scan *scan;
  cs_gps *gps;
  const char *device;
  cs_store *store;
  cs_status store_st;
  cs_err store_err;
  cs_scan_step *steps;
  int n_steps, cap_steps;
  int table_started;
} scan_ctx;

static void on_record(void *ctx, const cs_cell_record *r) {
  scan_ctx *c = ctx;
  if (c->json) {
    cs_gps_fix f;
    cs_scan_fix(c->scan, &f);
    char *s = cs_scan_record_json(r, &f);
    if (s) { puts(s); free(s); }
    fflush(stdout);
  } else {
    if (c->tty_err) fputs("\r\033[K", stderr);
    if (!c->table_started) { cs_scan_table_header(stdout); c->table_started = 1; }
    cs_scan_table_row(stdout, r);
    fflush(stdout);
  }
  if (c->store && !c->store_st) c->store_st = cs_store_add_record(c->store, r, NULL, &c->store_err);
}

static void on_channels(void *ctx, const cs_cell_record *where, const cs_channel *rows, int n) {
  scan_ctx *c = ctx;
  if (c->store && !c->store_st) c->store_st = cs_store_add_spectrum(c->store, where, rows, n, &c->store_err);
}

static void on_step(void *ctx, const cs_scan_step *s) {
  scan_ctx *c = ctx;
  if (c->n_steps == c->cap_steps) {
    int cap = c->cap_steps ? 2 * c->cap_steps : 64;
    cs_scan_step *n = realloc(c->steps, sizeof *n * cap);
    if (!n) return;
    c->steps = n;
    c->cap_steps = cap;
  }
  c->steps[c->n_steps++] = *s;
}

/* called before each dwell: a track point for where the kit is, and commit what the previous
 * dwell gave */
static void on_progress(void *ctx, const char *band, int step, int n, int cells) {
  scan_ctx *c = ctx;
  cs_gps_fix f;
  cs_gps_get(c->gps, &f);
  if (c->store && !c->store_st && f.mode != 0) {
    cs_cell_record tp;
    cs_record_init(&tp);
    tp.time_unix = (double)time(NULL);
    cs_gps_apply(&f, &tp);
    snprintf(tp.device, sizeof tp.device, "%.95s", c->device);
    c->store_st = cs_store_add_record(c->store, &tp, NULL, &c->store_err);
  }
  if (c->store && !c->store_st) c->store_st = cs_store_commit(c->store, &c->store_err);
  if (c->tty_err && !c->quiet) cs_scan_progress(stderr, band, step, n, cells);
}

static void on_gap(void *ctx, const cs_scan_gap *g) {
  char a[40], b[40];
  cs_format_time(g->start_unix, a, sizeof a);
  cs_format_time(g->end_unix, b, sizeof b);
  fprintf(stderr, "cellsurvey scan: device gap %s .. %s (%.1f s): %s\n", a, b, g->end_unix - g->start_unix, g->reason);
}

static void on_log(void *ctx, int level, const char *msg) {
  scan_ctx *c = ctx;
  if (level <= 4 || !c->quiet) {
    if (c->tty_err) fputs("\r\033[K", stderr);
    fprintf(stderr, "cellsurvey scan: %s\n", msg);
  }
}

static int parse_double(const char *s, double *v) {
  char *end;
  *v = strtod(s, &end);
  return end != s && !*end && isfinite(*v);
}

int cmd_scan(int argc, char **argv) {
  static const struct option opts[] = {
      {"device", required_argument, NULL, 'd'}, {"bands", required_argument, NULL, 'b'},
      {"json", no_argument, NULL, 'j'},         {"db", required_argument, NULL, 'D'},
      {"gps", required_argument, NULL, 'g'},    {"repeat", required_argument, NULL, 'r'},
      {"forever", no_argument, NULL, 'f'},      {"rate", required_argument, NULL, 'R'},
      {"gain", required_argument, NULL, 'G'},   {"gsm-dwell", required_argument, NULL, 'S'},
      {"lte-dwell", required_argument, NULL, 'L'}, {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
  };
  const char *device = NULL, *bands = NULL, *db = NULL, *gps_spec = NULL;
  long repeat = 1;
  scan_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  cs_scan_opts so;
  memset(&so, 0, sizeof so);
  so.gain_db = NAN;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    double v;
    switch (c) {
    case 'd': device = optarg; break;
    case 'b': bands = optarg; break;
    case 'j': ctx.json = 1; break;
    case 'D': db = optarg; break;
    case 'g': gps_spec = optarg; break;
    case 'r': {
      char *end;
      repeat = strtol(optarg, &end, 10);
      if (*end || repeat < 1) { fprintf(stderr, "cellsurvey scan: --repeat wants a count >= 1\n"); return 2; }
      break;
    }
    case 'f': repeat = 0; break;
    case 'R': if (!parse_double(optarg, &v) || v <= 0) goto bad_num; so.rate = v; break;
    case 'G': if (!parse_double(optarg, &v)) goto bad_num; so.gain_db = v; break;
    case 'S': if (!parse_double(optarg, &v) || v <= 0 || v > 60) goto bad_num; so.gsm_dwell_s = v; break;
    case 'L': if (!parse_double(optarg, &v) || v <= 0 || v > 60) goto bad_num; so.lte_dwell_s = v; break;
    case 'q': ctx.quiet = 1; break;
    case 'h': fputs(usage, stdout); return 0;
    default: fputs(usage, stderr); return 2;
    }
    continue;
  bad_num:
    fprintf(stderr, "cellsurvey scan: bad number '%s'\n", optarg);
    return 2;
  }
  if (!device || !bands || optind < argc) { fputs(usage, stderr); return 2; }
  cs_scan_band bl[CS_SCAN_MAX_BANDS];
  int nb;
  cs_err err = {{0}};
  if (cs_scan_parse_bands(bands, bl, CS_SCAN_MAX_BANDS, &nb, &err)) {
    fprintf(stderr, "cellsurvey scan: %s\n", err.msg);
    return 2;
  }
  ctx.tty_out = isatty(STDOUT_FILENO);
  ctx.tty_err = isatty(STDERR_FILENO);
  cs_gps *gps = NULL;
  if (gps_spec && cs_gps_open(gps_spec, &gps, &err)) {
    fprintf(stderr, "cellsurvey scan: %s\n", err.msg);
    return 2;
  }
  int rc = 0;
  if (db) {
    cs_status st = cs_store_open(db, &ctx.store, &err);
    if (!st) st = cs_store_begin_session(ctx.store, "scan", NAN, device, bands, NULL, &err);
    if (st) {
      fprintf(stderr, "cellsurvey scan: %s\n", err.msg);
      if (ctx.store) cs_store_close(ctx.store, &err);
      cs_gps_close(gps);
      return (int)st;
    }
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  so.device = device;
  ctx.gps = gps;
  ctx.device = device;
  so.bands = bl;
  so.n_bands = nb;
  so.gps = gps;
  so.stop = &stop_flag;
  so.ctx = &ctx;
  so.on_record = on_record;
  so.on_step = on_step;
  so.on_progress = on_progress;
  so.on_gap = on_gap;
  so.on_log = on_log;
  so.on_channels = on_channels;
  cs_status st = cs_scan_create(&so, &ctx.scan, &err);
  if (st) {
    fprintf(stderr, "cellsurvey scan: %s\n", err.msg);
    rc = (int)st;
  }
  for (long i = 0; !st && !stop_flag && (repeat == 0 || i < repeat); i++) {
    ctx.n_steps = 0;
    st = cs_scan_sweep(ctx.scan, &err);
    if (ctx.tty_err && !ctx.quiet) fputs("\r\033[K", stderr);
    if (st) { fprintf(stderr, "cellsurvey scan: %s\n", err.msg); rc = (int)st; }
    if (!ctx.quiet) {
      cs_scan_step_header(stderr);
      for (int k = 0; k < ctx.n_steps; k++) cs_scan_step_row(stderr, &ctx.steps[k]);
      fprintf(stderr, "sweep %ld: %d cells, %d device gaps so far\n", i + 1, cs_scan_cells(ctx.scan),
              cs_scan_gaps(ctx.scan));
    }
    if (ctx.store_st) break;
  }
  if (ctx.store) {
    if (!ctx.store_st) ctx.store_st = cs_store_end_session(ctx.store, NAN, &ctx.store_err);
    cs_err e2;
    cs_status cst = cs_store_close(ctx.store, &e2);
    if (!ctx.store_st && cst) { ctx.store_st = cst; ctx.store_err = e2; }
    if (ctx.store_st) {
      fprintf(stderr, "cellsurvey scan: %s\n", ctx.store_err.msg);
      if (!rc) rc = 1;
    }
  }
  cs_scan_destroy(ctx.scan);
  cs_gps_close(gps);
  free(ctx.steps);
  fflush(stdout);
  return rc;
}
