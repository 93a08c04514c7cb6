/* cmd_replay.c: `cellsurvey replay`: run the pipeline over recorded SigMF captures; print cell
 * records (JSON Lines or a table) and optionally store records and channel power. */
#define _GNU_SOURCE /* asprintf */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/sigmf.h"
#include "commands.h"
#include "gpsfix.h"
#include "pipeline.h"
#include "raster.h"
#include "store.h"

static const char usage[] =
    "usage: cellsurvey replay [--json] [--db FILE] [--band NAME] [--gsm-only|--lte-only]\n"
    "                         [--gps fixed:LAT,LON[,ALT]] [--gsmtap HOST[:PORT]]\n"
    "                         [--cfo-search HZ] CAPTURE...\n"
    "\n"
    "Finds, decodes and measures every GSM and LTE cell in SigMF recordings (CAPTURE is the\n"
    ".sigmf-meta, the .sigmf-data or their common base name; several may be given). Replay runs\n"
    "as fast as the CPU allows.\n"
    "\n"
    "  --json         one JSON object per cell on stdout (JSON Lines; docs/records.md)\n"
    "  --db FILE      store the cells and the channel power of every capture segment in a survey\n"
    "                 database (SQLite file, created if absent; docs/storage.md). Results are\n"
    "                 committed after each capture segment, so an interruption loses at most the\n"
    "                 segment being processed.\n"
    "  --band NAME    force the band (gsm850, egsm900, dcs1800, pcs1900, lte3, ...)\n"
    "  --gsm-only     decode only GSM;  --lte-only  decode only LTE\n"
    "  --gps fixed:LAT,LON[,ALT]  tag every record with this position (the site where the\n"
    "                 recording was made), in place of the capture's own core:geolocation\n"
    "  --gsmtap HOST[:PORT]  send the decoded broadcast messages as GSMTAP v2 over UDP (port 4729\n"
    "                 if omitted) so Wireshark shows them: GSM System Information (never\n"
    "                 paging), LTE MIB (BCCH-BCH) and SIB1 (BCCH-DL-SCH)\n"
    "  --cfo-search HZ  LTE: search the PSS up to HZ either side of each carrier (default\n"
    "                 100000, at most 300000): for an uncalibrated radio whose frequency error\n"
    "                 is larger than 100 kHz (40 ppm at 2.6 GHz). A wider search costs more time.\n"
    "  -h, --help     this text\n"
    "\n"
    "Without --json a line per capture segment lists the occupied channels (GSM ARFCNs, LTE\n"
    "carriers: see `cellsurvey spectrum`), then one line per cell found. Warnings (clipping,\n"
    "NaN/Inf samples skipped) go to stderr.\n"
    "\n"
    "Examples:\n"
    "  cellsurvey replay --json captures/gsm900_a85_cfo-12k\n"
    "  cellsurvey replay --db survey.db captures/*.sigmf-meta\n"
    "\n"
    "Exit status: 0 done, 1 environment failure (disk full, memory), 2 bad input (a capture that\n"
    "cannot be read; the other captures are still processed).\n";

enum { GSM_MAX = 1024, LTE_MAX = 64 };

typedef struct {
  int json;
  unsigned cells;
  const char *path;
  cs_store *store;
  cs_status st;       /* first store failure */
  cs_err err;
  uint64_t nonfinite, clipped, samples; /* clipped of the samples read */
  char **pending;     /* with --db: output lines held back until their records are committed */
  size_t n_pending, cap_pending;
  cs_channel rows[GSM_MAX], lte[LTE_MAX];
} replay_ctx;

/* With --db a record is printed only once it is committed: a line on stdout is a promise that the
 * record is in the database (it survives kill -9 and power loss from then on). */
static void emit(replay_ctx *c, char *line) {
  if (!line) return;
  if (!c->store) { puts(line); free(line); return; }
  if (c->n_pending == c->cap_pending) {
    size_t cap = c->cap_pending ? 2 * c->cap_pending : 64;
    char **p = realloc(c->pending, cap * sizeof *p);
    if (!p) { free(line); return; }
    c->pending = p;
    c->cap_pending = cap;
  }
  c->pending[c->n_pending++] = line;
}

/* After a commit: print what it made durable (ok) or drop it (the commit failed). */
static void release_pending(replay_ctx *c, int ok) {
  for (size_t i = 0; i < c->n_pending; i++) {
    if (ok) puts(c->pending[i]);
    free(c->pending[i]);
  }
  c->n_pending = 0;
  if (ok) fflush(stdout);
}

static cs_status commit(replay_ctx *c) {
  c->st = cs_store_commit(c->store, &c->err);
  release_pending(c, c->st == CS_OK);
  return c->st;
}

static void on_record(void *ctx, const cs_cell_record *r) {
  replay_ctx *c = ctx;
  c->cells++;
  char *line = NULL;
  if (c->json) {
    line = cs_record_to_json(r);
  } else if (r->rat == CS_RAT_GSM) {
    if (asprintf(&line, "GSM  %-8s ARFCN %5d  %s-%s LAC %d CI %lld BSIC %d  %.1f dBFS", r->band, r->arfcn,
                 r->plmn.mcc, r->plmn.mnc, r->lac, (long long)r->cell_id, r->bsic, r->power_dbfs) < 0)
      line = NULL;
  } else if (r->rat == CS_RAT_LTE) {
    if (asprintf(&line, "LTE  band %-4s EARFCN %6d  PCI %3d  %d PRB  TAC %d  CI %lld  RSRP %.1f dBFS", r->band,
                 r->earfcn, r->pci, r->n_prb, r->tac, (long long)r->cell_identity, r->rsrp_dbfs) < 0)
      line = NULL;
  }
  if (c->store) {
    if (c->st) { free(line); return; } /* the store failed: nothing more is promised */
    c->st = cs_store_add_record(c->store, r, NULL, &c->err);
  }
  emit(c, line);
}

/* The table form's line per capture segment: where it was tuned and which channels carry a
 * signal (the candidates the decoders look at). */
static void print_segment(const replay_ctx *c, const cs_spectrum *s, const cs_channel *gsm, int n_gsm,
                          const cs_channel *lte, int n_lte) {
  printf("%s: segment %d, %.4f MHz, %.3f Msps:", c->path, s->segment, s->center_hz / 1e6, s->sample_rate / 1e6);
  int occupied = 0;
  for (int i = 0; i < n_gsm; i++) {
    if (!gsm[i].occupied) continue;
    printf("%s %s ARFCN %d (%.1f dBFS)", occupied++ ? "," : "", gsm[i].band, gsm[i].channel, gsm[i].power_dbfs);
  }
  for (int i = 0; i < n_lte; i++) {
    printf("%s LTE", occupied++ ? "," : "");
    if (lte[i].band[0]) printf(" band %s", lte[i].band);
    if (lte[i].channel >= 0) printf(" EARFCN %d", lte[i].channel);
    printf(" %.1f MHz (%.1f dBFS)", lte[i].bandwidth_hz / 1e6, lte[i].power_dbfs);
  }
  printf("%s\n", occupied ? "" : " no occupied GSM channel or LTE carrier");
}

static void on_spectrum(void *ctx, const cs_spectrum *s) {
  replay_ctx *c = ctx;
  c->nonfinite = s->nonfinite;
  c->clipped += s->clipped;
  c->samples += s->num_samples;
  if (c->json && !c->store) return;
  int n_lte = cs_raster_lte(s, 0, 0, c->lte, LTE_MAX, NULL);
  if (n_lte > LTE_MAX) n_lte = LTE_MAX;
  int n = cs_raster_gsm(s, CS_GSM_NONE, 0, c->rows, GSM_MAX);
  if (n > GSM_MAX) n = GSM_MAX;
  n = cs_raster_gsm_outside_lte(c->rows, n, c->lte, n_lte);
  /* commit (and so print) what the previous segment decoded, then this segment's lines */
  if (c->store && !c->st) commit(c);
  if (!c->json) print_segment(c, s, c->rows, n, c->lte, n_lte);
  if (!c->store || c->st) return;
  /* store this segment's channel power */
  cs_cell_record where;
  cs_record_init(&where);
  where.time_unix = s->time_unix;
  if (isfinite(s->lat)) { where.has_fix = 1; where.lat = s->lat; where.lon = s->lon; where.alt = s->alt; }
  if (n > 0 && (c->st = cs_store_add_spectrum(c->store, &where, c->rows, n, &c->err))) return;
  if (n_lte > 0) c->st = cs_store_add_spectrum(c->store, &where, c->lte, n_lte, &c->err);
}

static int exit_code(cs_status st) { return st == CS_OK ? 0 : st == CS_ERR_INPUT ? 2 : 1; }

int cmd_replay(int argc, char **argv) {
  static const struct option opts[] = {
      {"json", no_argument, NULL, 'j'},     {"band", required_argument, NULL, 'b'},
      {"gsm-only", no_argument, NULL, 'g'}, {"lte-only", no_argument, NULL, 'l'},
      {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'},
      {"gsmtap", required_argument, NULL, 't'},  {"cfo-search", required_argument, NULL, 'f'},
      {"gps", required_argument, NULL, 'p'},
      {NULL, 0, NULL, 0},
  };
  replay_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) { fprintf(stderr, "cellsurvey replay: out of memory\n"); return 1; }
  cs_pipeline_opts po = {0};
  po.decode_gsm = po.decode_lte = 1;
  const char *db = NULL, *gsmtap = NULL, *gps_spec = NULL;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'j': ctx->json = 1; break;
    case 'b': po.band_hint = optarg; break;
    case 'g': po.decode_lte = 0; break;
    case 'l': po.decode_gsm = 0; break;
    case 'd': db = optarg; break;
    case 't': gsmtap = optarg; break;
    case 'p':
      if (strncmp(optarg, "fixed:", 6) != 0) {
        fprintf(stderr, "cellsurvey replay: --gps %s: a replay takes a fixed position (fixed:LAT,LON[,ALT]); "
                        "positions recorded in the capture (SigMF core:geolocation) are used without it\n", optarg);
        free(ctx);
        return 2;
      }
      gps_spec = optarg;
      break;
    case 'f': {
      char *end;
      po.lte_cfo_search_hz = strtod(optarg, &end);
      if (end == optarg || *end || !(po.lte_cfo_search_hz > 0) ||
          po.lte_cfo_search_hz > CS_LTE_CFO_SEARCH_MAX_HZ) {
        fprintf(stderr, "cellsurvey replay: --cfo-search wants a frequency in Hz, above 0 and at most %.0f, not '%s'\n",
                CS_LTE_CFO_SEARCH_MAX_HZ, optarg);
        free(ctx);
        return 2;
      }
      break;
    }
    case 'h': fputs(usage, stdout); free(ctx); return 0;
    default:
      fprintf(stderr, "cellsurvey replay: unknown or incomplete option '%s'\n", argv[optind - 1]);
      fputs(usage, stderr);
      free(ctx);
      return 2;
    }
  }
  if (optind >= argc) { fputs(usage, stderr); free(ctx); return 2; }
  int rc = 0;
  cs_err err = {{0}};
  cs_gps_fix fixed = {0};
  if (gps_spec) {
    cs_gps *g;
    cs_status gst = cs_gps_open(gps_spec, &g, &err);
    if (gst) { fprintf(stderr, "cellsurvey replay: %s\n", err.msg); free(ctx); return exit_code(gst); }
    cs_gps_get(g, &fixed);
    cs_gps_close(g);
  }
  cs_status ost = gsmtap ? cs_gsmtap_open(gsmtap, &po.gsmtap, &err) : CS_OK;
  if (!ost && db) ost = cs_store_open(db, &ctx->store, &err);
  if (ost) {
    cs_gsmtap_close(po.gsmtap);
    fprintf(stderr, "cellsurvey replay: %s\n", err.msg);
    free(ctx);
    return exit_code(ost);
  }
  if (ctx->store) {
    char desc[512];
    snprintf(desc, sizeof desc, "%s%s", argv[optind], argc - optind > 1 ? " ..." : "");
    int64_t sid;
    if (cs_store_begin_session(ctx->store, "replay", NAN, "file", desc, &sid, &err)) {
      fprintf(stderr, "cellsurvey replay: %s\n", err.msg);
      cs_store_close(ctx->store, NULL);
      cs_gsmtap_close(po.gsmtap);
      free(ctx);
      return 1;
    }
  }
  po.on_record = on_record;
  po.on_spectrum = on_spectrum;
  po.counts_only = ctx->json && !ctx->store; /* the table and the store show the carriers */
  po.ctx = ctx;
  cs_cell_record base;
  po.base = &base;
  cs_pipeline pipe = cs_pipeline_create(); /* one for all captures: decoders and plans made once */
  if (!pipe) { fprintf(stderr, "cellsurvey replay: out of memory\n"); rc = 1; }
  for (int i = optind; i < argc && pipe && !ctx->st; i++) {
    cs_source *src;
    ctx->path = argv[i];
    ctx->nonfinite = ctx->clipped = ctx->samples = 0;
    cs_record_init(&base);
    snprintf(base.device, sizeof base.device, "file");
    snprintf(base.source, sizeof base.source, "%s", argv[i]);
    if (gps_spec) {
      base.has_fix = 1;
      base.lat = fixed.lat;
      base.lon = fixed.lon;
      base.alt = fixed.alt;
      base.fix_mode = -1;
    }
    const cs_sigmf_meta *meta = NULL;
    cs_status st = cs_sigmf_open(argv[i], &src, &meta, &err);
    /* float recordings have no full scale: values at 1.0 are not clipping */
    int float_data = !st && meta->datatype[1] == 'f';
    if (!st) {
      st = cs_pipeline_execute(pipe, src, &po, &err);
      cs_source_close(src);
    }
    if (ctx->store && !ctx->st) commit(ctx);
    if (st) {
      fprintf(stderr, "cellsurvey replay: %s\n", err.msg);
      if (exit_code(st) > rc) rc = exit_code(st);
    }
    if (ctx->nonfinite)
      fprintf(stderr, "cellsurvey replay: warning: %s: %llu NaN/Inf samples skipped (counted as 0)\n",
              argv[i], (unsigned long long)ctx->nonfinite);
    if (ctx->clipped && !float_data)
      fprintf(stderr, "cellsurvey replay: warning: %s: %llu of the %llu samples read at full scale (clipping)\n",
              argv[i], (unsigned long long)ctx->clipped, (unsigned long long)ctx->samples);
  }
  cs_pipeline_destroy(pipe);
  release_pending(ctx, 0); /* only left over after a failed store */
  free(ctx->pending);
  fflush(stdout);
  if (ctx->store) {
    cs_status st = ctx->st;
    if (!st) st = cs_store_end_session(ctx->store, NAN, &ctx->err);
    cs_status cst = cs_store_close(ctx->store, st ? NULL : &ctx->err);
    if (!st) st = cst;
    if (st) {
      fprintf(stderr, "cellsurvey replay: %s\n", ctx->err.msg);
      rc = 1;
    }
  }
  cs_gsmtap_close(po.gsmtap);
  free(ctx);
  return rc;
}
