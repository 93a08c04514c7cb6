/* cmd_spectrum.c: `cellsurvey spectrum`: channel power over a SigMF capture on the GSM and LTE
 * rasters (src/raster.c), as a table, JSON Lines or hackrf_sweep CSV, optionally stored. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "cellsurvey/sigmf.h"
#include "commands.h"
#include "pipeline.h"
#include "raster.h"
#include "store.h"

static const char usage[] =
    "usage: cellsurvey spectrum [--json|--csv] [--raster gsm|lte|auto] [--band NAME]\n"
    "                           [--threshold DB] [--nfft N] [--db FILE] CAPTURE\n"
    "\n"
    "Measures channel power in a SigMF recording (CAPTURE: the .sigmf-meta, the .sigmf-data or\n"
    "their common base name), one result per capture segment. Powers are in dBFS (0 dBFS = a\n"
    "full-scale complex sinusoid of the recording's datatype).\n"
    "\n"
    "  --raster gsm   one row per GSM ARFCN inside the usable bandwidth (the central 90 % of the\n"
    "                 sample rate; the edges are the receiver's filter roll-off)\n"
    "  --raster lte   the occupied LTE carriers: centre, EARFCN, estimated bandwidth\n"
    "  --raster auto  both (default); GSM channels under an LTE carrier are left out\n"
    "  --band NAME    GSM band instead of inferring it from the frequency: gsm450, gsm480, gsm850,\n"
    "                 pgsm900, egsm900 (= gsm900), rgsm900, dcs1800, pcs1900 (DCS1800 and PCS1900\n"
    "                 share ARFCNs 512-810). For LTE: lte<N> or <N>, the E-UTRA band number.\n"
    "  --threshold DB a channel is occupied when its power exceeds the noise floor in the same\n"
    "                 bandwidth by DB (default: GSM 6 dB over 200 kHz, LTE 1.5 dB over the PSD)\n"
    "  --nfft N       FFT size (power of two, 64..65536; default: bins of about 1 kHz)\n"
    "  --json         JSON Lines on stdout: {\"rat\":\"gsm\",\"band\",\"arfcn\",\"freq_hz\",\n"
    "                 \"power_dbfs\",\"noise_dbfs\",\"occupied\",...}; LTE rows have \"earfcn\",\n"
    "                 \"bandwidth_hz\", \"n_prb\"\n"
    "  --csv          the whole spectrum in hackrf_sweep's layout (date, time, hz_low, hz_high,\n"
    "                 hz_bin_width, num_samples, dB, dB, ...), so hackrf_sweep plotting scripts work\n"
    "  --db FILE      also store the channel rows in a survey database (SQLite file)\n"
    "  -h, --help     this text\n"
    "\n"
    "Examples:\n"
    "  cellsurvey spectrum --raster gsm capture.sigmf-meta\n"
    "  cellsurvey spectrum --json --raster gsm --band pcs1900 capture\n"
    "  cellsurvey spectrum --csv capture > sweep.csv\n"
    "\n"
    "Exit status: 0 done, 1 environment failure (disk, memory), 2 bad input.\n";

enum { OUT_TABLE, OUT_JSON, OUT_CSV };
enum { LTE_MAX = 64 };
enum { RASTER_AUTO, RASTER_GSM, RASTER_LTE };

typedef struct {
  int out, raster;
  cs_gsm_band gsm_band;
  int lte_band;
  double threshold;
  const char *path;
  cs_store *store;
  cs_status st;       /* first failure inside the callback */
  cs_err err;
  int no_gsm_band;    /* --raster gsm on a capture no GSM band covers */
  uint64_t nonfinite;
  int float_data;
  cs_channel *rows;   /* GSM rows */
  int cap;
  cs_channel lte[LTE_MAX];
} spec_ctx;

static void print_csv(const cs_spectrum *s) {
  double t = s->time_unix;
  if (!isfinite(t)) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    t = tv.tv_sec + tv.tv_usec * 1e-6;
  }
  time_t sec = (time_t)floor(t);
  struct tm tm;
  gmtime_r(&sec, &tm);
  char date[16], tod[32];
  strftime(date, sizeof date, "%Y-%m-%d", &tm);
  snprintf(tod, sizeof tod, "%02d:%02d:%02d.%06d", tm.tm_hour, tm.tm_min, tm.tm_sec,
           (int)floor((t - floor(t)) * 1e6));
  /* the usable band in four lines, as hackrf_sweep splits each FFT */
  double df = s->sample_rate / s->nfft;
  unsigned lo = (unsigned)ceil(s->nfft / 2.0 - CS_RASTER_USABLE * s->sample_rate / 2 / df);
  unsigned hi = s->nfft - lo, per = (hi - lo + 3) / 4;
  for (unsigned a = lo; a < hi; a += per) {
    unsigned b = a + per < hi ? a + per : hi;
    double f_lo = s->center_hz + ((double)a - s->nfft / 2.0 - 0.5) * df;
    printf("%s, %s, %.0f, %.0f, %.2f, %u", date, tod, f_lo, f_lo + (b - a) * df, df, s->nfft);
    for (unsigned i = a; i < b; i++) printf(", %.2f", 10 * log10(s->bins[i] + 1e-30));
    putchar('\n');
  }
}

static void print_row(const spec_ctx *c, const cs_spectrum *s, const cs_channel *r) {
  if (c->out == OUT_JSON) {
    if (r->rat == CS_RAT_GSM)
      printf("{\"rat\":\"gsm\",\"band\":\"%s\",\"arfcn\":%d,", r->band, r->channel);
    else {
      printf("{\"rat\":\"lte\",\"band\":");
      if (r->band[0]) printf("\"%s\",", r->band); else printf("null,");
      if (r->channel >= 0) printf("\"earfcn\":%d,", r->channel); else printf("\"earfcn\":null,");
      printf("\"bandwidth_hz\":%.0f,\"n_prb\":%d,", r->bandwidth_hz, r->n_prb);
    }
    char t[48] = "null";
    if (isfinite(s->time_unix)) {
      t[0] = '"';
      cs_format_time(s->time_unix, t + 1, sizeof t - 2);
      strcat(t, "\"");
    }
    printf("\"freq_hz\":%.0f,\"offset_hz\":%.0f,\"power_dbfs\":%.2f,\"noise_dbfs\":%.2f,"
           "\"snr_db\":%.2f,\"occupied\":%s,\"segment\":%d,\"time\":%s}\n",
           r->freq_hz, r->offset_hz, r->power_dbfs, r->noise_dbfs, r->power_dbfs - r->noise_dbfs,
           r->occupied ? "true" : "false", s->segment, t);
  } else if (r->rat == CS_RAT_GSM) {
    printf("  GSM  %-8s ARFCN %5d  %10.4f MHz  %7.2f dBFS  SNR %6.2f dB  %s\n", r->band, r->channel,
           r->freq_hz / 1e6, r->power_dbfs, r->power_dbfs - r->noise_dbfs, r->occupied ? "occupied" : "-");
  } else {
    char earfcn[16] = "off-raster";
    if (r->channel >= 0) snprintf(earfcn, sizeof earfcn, "%d", r->channel);
    printf("  LTE  band %-4s EARFCN %-10s %10.4f MHz  %4.1f MHz (%3d PRB)  %7.2f dBFS  SNR %6.2f dB\n",
           r->band[0] ? r->band : "?", earfcn, r->freq_hz / 1e6, r->bandwidth_hz / 1e6, r->n_prb,
           r->power_dbfs, r->power_dbfs - r->noise_dbfs);
  }
}

static void on_spectrum(void *ctx, const cs_spectrum *s) {
  spec_ctx *c = ctx;
  c->nonfinite = s->nonfinite;
  if (c->st) return;
  if (c->out == OUT_CSV) print_csv(s);
  if (c->out == OUT_TABLE) {
    printf("segment %d: centre %.6f MHz, %.6f Msps, %llu samples, total %.2f dBFS, noise %.2f dBFS/200kHz\n",
           s->segment, s->center_hz / 1e6, s->sample_rate / 1e6, (unsigned long long)s->num_samples,
           10 * log10(s->total_power + 1e-30), 10 * log10(cs_spectrum_noise_power(s, 200e3) + 1e-30));
    if (s->clipped && !c->float_data) printf("  warning: %llu samples at full scale (clipping: lower the gain)\n", (unsigned long long)s->clipped);
  }
  cs_cell_record where;
  cs_record_init(&where);
  where.time_unix = s->time_unix;
  if (isfinite(s->lat)) { where.has_fix = 1; where.lat = s->lat; where.lon = s->lon; where.alt = s->alt; where.fix_mode = 2; }
  snprintf(where.device, sizeof where.device, "file");
  snprintf(where.source, sizeof where.source, "%s", c->path);
  int n_lte = 0, n_gsm = 0;
  if (c->raster != RASTER_GSM) {
    n_lte = cs_raster_lte(s, c->lte_band, c->threshold, c->lte, LTE_MAX, NULL);
    if (n_lte > LTE_MAX) n_lte = LTE_MAX;
  }
  if (c->raster != RASTER_LTE) {
    n_gsm = cs_raster_gsm(s, c->gsm_band, c->threshold, c->rows, c->cap);
    if (n_gsm < 0) { n_gsm = 0; if (c->raster == RASTER_GSM) c->no_gsm_band = 1; }
    if (n_gsm > c->cap) n_gsm = c->cap;
    if (c->raster == RASTER_AUTO) n_gsm = cs_raster_gsm_outside_lte(c->rows, n_gsm, c->lte, n_lte);
  }
  for (int pass = 0; pass < 2; pass++) {
    const cs_channel *rows = pass ? c->lte : c->rows;
    int n = pass ? n_lte : n_gsm;
    if (c->out != OUT_CSV)
      for (int i = 0; i < n; i++) print_row(c, s, &rows[i]);
    if (c->store && n > 0) {
      c->st = cs_store_add_spectrum(c->store, &where, rows, n, &c->err);
      if (c->st) return;
    }
  }
  if (c->store) c->st = cs_store_commit(c->store, &c->err);
}

static int parse_lte_band(const char *s) {
  if (!strncasecmp(s, "lte", 3) || !strncasecmp(s, "band", 4)) s += s[0] == 'l' || s[0] == 'L' ? 3 : 4;
  char *end;
  long b = strtol(s, &end, 10);
  return *end == '\0' && cs_lte_band((int)b) ? (int)b : -1;
}

int cmd_spectrum(int argc, char **argv) {
  static const struct option opts[] = {
      {"json", no_argument, NULL, 'j'},          {"csv", no_argument, NULL, 'c'},
      {"raster", required_argument, NULL, 'r'},  {"band", required_argument, NULL, 'b'},
      {"threshold", required_argument, NULL, 't'}, {"nfft", required_argument, NULL, 'n'},
      {"db", required_argument, NULL, 'd'},      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  static spec_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  const char *db = NULL;
  unsigned nfft = 0;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'j': ctx.out = OUT_JSON; break;
    case 'c': ctx.out = OUT_CSV; break;
    case 'r':
      if (!strcmp(optarg, "gsm")) ctx.raster = RASTER_GSM;
      else if (!strcmp(optarg, "lte")) ctx.raster = RASTER_LTE;
      else if (!strcmp(optarg, "auto")) ctx.raster = RASTER_AUTO;
      else { fprintf(stderr, "cellsurvey spectrum: --raster must be gsm, lte or auto, not '%s'\n", optarg); return 2; }
      break;
    case 'b':
      ctx.gsm_band = cs_gsm_band_parse(optarg);
      ctx.lte_band = ctx.gsm_band == CS_GSM_NONE ? parse_lte_band(optarg) : -1;
      if (ctx.gsm_band == CS_GSM_NONE && ctx.lte_band < 0) {
        fprintf(stderr, "cellsurvey spectrum: unknown band '%s' (gsm850, egsm900, dcs1800, pcs1900, ..., or lte3, lte7, ...)\n", optarg);
        return 2;
      }
      break;
    case 't': {
      char *end;
      ctx.threshold = strtod(optarg, &end);
      if (*end || !(ctx.threshold > 0) || ctx.threshold > 100) { fprintf(stderr, "cellsurvey spectrum: --threshold must be a positive number of dB\n"); return 2; }
      break;
    }
    case 'n': {
      char *end;
      unsigned long v = strtoul(optarg, &end, 10);
      if (*end || v < 64 || v > 65536 || (v & (v - 1))) { fprintf(stderr, "cellsurvey spectrum: --nfft must be a power of two from 64 to 65536\n"); return 2; }
      nfft = (unsigned)v;
      break;
    }
    case 'd': db = optarg; break;
    case 'h': fputs(usage, stdout); return 0;
    default:
      fprintf(stderr, "cellsurvey spectrum: unknown or incomplete option '%s'\n", argv[optind - 1]);
      fputs(usage, stderr);
      return 2;
    }
  }
  if (optind + 1 != argc) { fputs(usage, stderr); return 2; }
  ctx.path = argv[optind];
  if (ctx.raster == RASTER_LTE) ctx.gsm_band = CS_GSM_NONE;
  ctx.cap = 2048;
  ctx.rows = malloc(sizeof *ctx.rows * (size_t)ctx.cap);
  if (!ctx.rows) { fprintf(stderr, "cellsurvey spectrum: out of memory\n"); return 1; }
  cs_err err = {{0}};
  cs_status st = CS_OK;
  if (db) {
    int64_t sid;
    st = cs_store_open(db, &ctx.store, &err);
    if (!st) st = cs_store_begin_session(ctx.store, "replay", NAN, "file", ctx.path, &sid, &err);
  }
  cs_source *src = NULL;
  const cs_sigmf_meta *meta = NULL;
  if (!st) st = cs_sigmf_open(ctx.path, &src, &meta, &err);
  if (!st) ctx.float_data = meta->datatype[1] == 'f'; /* no full scale, so no clipping */
  if (!st) {
    cs_pipeline_opts po = {0};
    po.nfft = nfft;
    po.on_spectrum = on_spectrum;
    po.ctx = &ctx;
    st = cs_pipeline_run(src, &po, &err);
    if (!st && ctx.st) { st = ctx.st; err = ctx.err; }
    cs_source_close(src);
  }
  if (ctx.store) {
    cs_err e2 = {{0}};
    cs_status s2 = cs_store_end_session(ctx.store, NAN, &e2);
    cs_status s3 = cs_store_close(ctx.store, s2 ? NULL : &e2);
    if (!st && (s2 || s3)) { st = s2 ? s2 : s3; err = e2; }
  }
  free(ctx.rows);
  fflush(stdout);
  if (st) { fprintf(stderr, "cellsurvey spectrum: %s\n", err.msg); return st == CS_ERR_INPUT ? 2 : 1; }
  if (ctx.nonfinite)
    fprintf(stderr, "cellsurvey spectrum: warning: %s: %llu NaN/Inf samples skipped (counted as 0)\n",
            ctx.path, (unsigned long long)ctx.nonfinite);
  if (ctx.no_gsm_band) {
    fprintf(stderr, "cellsurvey spectrum: %s: no GSM band covers this capture's frequency; use --band to force one\n", ctx.path);
    return 2;
  }
  return 0;
}
