/* cmd_report.c: `cellsurvey report`: the offline HTML report into a directory (report.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "report.h"
#include "survey_load.h"

static const char usage[] =
    "usage: cellsurvey report --db FILE|postgresql://... --out DIR [--cell-size METRES]\n"
    "\n"
    "Writes DIR/index.html: a self-contained report that opens offline in any browser: per operator\n"
    "and RAT a map of the grid classes with the track and the estimated sites, spectrum plots per\n"
    "band, the cell table, the coverage summary and the gap list.\n";

typedef struct {
  cs_channel *v;
  size_t n, cap;
} spec_list;

static int on_spec(void *ctx, const cs_store_spectrum_row *r) {
  spec_list *l = ctx;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 1024;
    cs_channel *nv = realloc(l->v, cap * sizeof *nv);
    if (!nv) return 1;
    l->v = nv;
    l->cap = cap;
  }
  l->v[l->n++] = r->ch;
  return 0;
}

int cmd_report(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, NULL, 'd'},        {"out", required_argument, NULL, 'o'},
      {"cell-size", required_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *db = NULL, *out = NULL;
  double cell_size = 100;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    char *end;
    if (c == 'd') db = optarg;
    else if (c == 'o') out = optarg;
    else if (c == 's') {
      cell_size = strtod(optarg, &end);
      if (*end || !(cell_size >= 25 && cell_size <= 1000)) {
        fprintf(stderr, "cellsurvey report: --cell-size '%s' is not 25..1000 metres\n", optarg);
        return 2;
      }
    } else if (c == 'h') { fputs(usage, stdout); return 0; }
    else { fputs(usage, stderr); return 2; }
  }
  if (!db || !out || optind != argc) { fputs(usage, stderr); return 2; }
  if (mkdir(out, 0755) && errno != EEXIST) {
    fprintf(stderr, "cellsurvey report: cannot create %s: %s\n", out, strerror(errno));
    return 1;
  }
  cs_err err = {{0}}, cerr;
  cs_store *st_db = NULL;
  cs_survey *s = NULL;
  cs_grid *g = NULL;
  cs_site_estimate *sites = NULL;
  spec_list spec = {0};
  cs_status st = cs_store_open(db, &st_db, &err);
  if (!st) st = cs_survey_load(st_db, CS_RAT_NONE, &s, &err);
  if (!st) {
    cs_store_query q;
    cs_store_query_init(&q);
    st = cs_store_each_spectrum(st_db, &q, on_spec, &spec, &err);
  }
  if (st_db) cs_store_close(st_db, &cerr);
  if (!st && s->n_obs == 0) { /* nothing positioned: spectrum and cells only */
    if (!(g = cs_grid_alloc(0, 0))) st = cs_fail(&err, CS_ERR_ENV, "out of memory");
    else g->cell_size = cell_size;
  } else if (!st) {
    cs_grid_opts o = {0};
    o.cell_size = cell_size;
    cs_grid_thresholds_default(&o.thr);
    st = cs_grid_build(s, &o, &g, &err);
  }
  if (!st) st = cs_sites_estimate(s, g->zone, &sites, &err);
  if (!st) {
    char path[4096], label[256];
    snprintf(path, sizeof path, "%s/index.html", out);
    const char *at = strchr(db, '@');
    if (at && strstr(db, "://")) snprintf(label, sizeof label, "%.*s//...%s", (int)(strstr(db, "://") - db + 1), db, at);
    else snprintf(label, sizeof label, "%s", db);
    report_data d = {label, s, g, sites, spec.v, spec.n};
    st = cs_report_write(&d, path, &err);
    if (!st) fprintf(stderr, "cellsurvey report: wrote %s\n", path);
  }
  if (st) fprintf(stderr, "cellsurvey report: %s\n", err.msg);
  free(spec.v);
  free(sites);
  cs_grid_destroy(g);
  cs_survey_destroy(s);
  return (int)st;
}
