/* cmd_replay.c: `cellsurvey replay`: run the pipeline over recorded SigMF captures. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellsurvey/sigmf.h"
#include "commands.h"
#include "decode_gsm.h"
#include "pipeline.h"

static const char usage[] =
    "usage: cellsurvey replay [--json] [--band NAME] [--gsm-only|--lte-only] [--gsmtap HOST[:PORT]]\n"
    "                         CAPTURE...\n"
    "\n"
    "Finds, decodes and measures every GSM and LTE cell in SigMF recordings (CAPTURE is the\n"
    ".sigmf-meta, the .sigmf-data or their common base name).\n"
    "\n"
    "  --json         one JSON object per cell on stdout (JSON Lines; docs/records.md)\n"
    "  --band NAME    force the band (gsm850, egsm900, dcs1800, pcs1900, lte3, ...)\n"
    "  --gsm-only     decode only GSM;  --lte-only  decode only LTE\n"
    "  --gsmtap HOST[:PORT]  send every decoded GSM BCCH/CCCH block as GSMTAP v2 over UDP\n"
    "                 (port 4729 by default) for Wireshark\n"
    "  -h, --help     this text\n"
    "\n"
    "Exit status: 0 done, 1 environment failure (disk, memory), 2 bad input.\n";

typedef struct {
  int json;
  unsigned cells;
} replay_ctx;

static void on_record(void *ctx, const cs_cell_record *r) {
  replay_ctx *c = ctx;
  c->cells++;
  if (c->json) {
    char *s = cs_record_to_json(r);
    if (s) { puts(s); free(s); }
  }
}

int cmd_replay(int argc, char **argv) {
  static const struct option opts[] = {
      {"json", no_argument, NULL, 'j'},     {"band", required_argument, NULL, 'b'},
      {"gsm-only", no_argument, NULL, 'g'}, {"lte-only", no_argument, NULL, 'l'},
      {"gsmtap", required_argument, NULL, 't'},
      {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
  };
  replay_ctx ctx = {0};
  cs_pipeline_opts po = {0};
  po.decode_gsm = po.decode_lte = 1;
  const char *gsmtap_dest = NULL;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'j': ctx.json = 1; break;
    case 'b': po.band_hint = optarg; break;
    case 'g': po.decode_lte = 0; break;
    case 'l': po.decode_gsm = 0; break;
    case 't': gsmtap_dest = optarg; break;
    case 'h': fputs(usage, stdout); return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  if (optind >= argc) { fputs(usage, stderr); return 2; }
  cs_gsmtap *tap = NULL;
  if (gsmtap_dest) {
    cs_err err = {{0}};
    cs_status st = cs_gsmtap_open(gsmtap_dest, &tap, &err);
    if (st) { fprintf(stderr, "cellsurvey replay: %s\n", err.msg); return (int)st; }
    cs_decode_gsm_set_gsmtap(tap);
  }
  po.on_record = on_record;
  po.ctx = &ctx;
  int rc = 0;
  for (int i = optind; i < argc; i++) {
    cs_err err = {{0}};
    cs_source *src;
    cs_status st = cs_sigmf_open(argv[i], &src, NULL, &err);
    if (!st) {
      st = cs_pipeline_run(src, &po, &err);
      cs_source_close(src);
    }
    if (st) {
      fprintf(stderr, "cellsurvey replay: %s\n", err.msg);
      if ((int)st > rc) rc = (int)st == 2 ? 2 : (rc ? rc : 1);
    }
  }
  cs_decode_gsm_set_gsmtap(NULL);
  cs_gsmtap_close(tap);
  fflush(stdout);
  return rc;
}
