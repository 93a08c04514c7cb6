/* grid.c: bench_grid: time and peak memory to grid N measurements (default 1 000 000).
 *
 *   bench_grid [N]            in memory: a synthetic drive over 10 x 10 km with 4 operators x 2
 *                             RATs (48 cells), then cs_grid_build at 100 m; one core
 *   bench_grid N --db FILE    also through the store: write N records into a SQLite store (if
 *                             FILE does not exist), then time load + grid as `cellsurvey grid`
 *                             does
 * Prints wall/CPU time of the grid step and the peak resident set size (getrusage). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "grid.h"
#include "store.h"
#include "survey.h"
#include "survey_load.h"
#include "cellsurvey/clock.h"

static double peak_mb(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

/* The i-th synthetic record: a lawnmower drive, one record per position and cell heard. */
static void record_at(long i, cs_cell_record *r, unsigned *seed) {
  cs_record_init(r);
  long pos = i / 6;                        /* six cells heard per position */
  double along = fmod(pos * 10.0, 10000.0), row = floor(pos * 10.0 / 10000.0) * 50.0;
  double x = ((long)(row / 50) % 2) ? 10000 - along : along, y = fmod(row, 10000.0);
  r->time_unix = 1795161600.0 + pos;
  r->has_fix = 1;
  r->lat = 3.0 + y / 110574.0;
  r->lon = 31.8 + x / (111320.0 * cos(3.0 * M_PI / 180));
  *seed = *seed * 1103515245u + 12345u;
  int cell = (*seed >> 8) % 48, op = cell / 12, lte = (cell / 6) % 2;
  r->rat = lte ? CS_RAT_LTE : CS_RAT_GSM;
  snprintf(r->plmn.mcc, sizeof r->plmn.mcc, "641");
  snprintf(r->plmn.mnc, sizeof r->plmn.mnc, "%02d", 1 + op);
  double cx = 1000 + (cell % 6) * 1600, cy = 1500 + (cell % 4) * 2300;
  double level = (lte ? 15 : 30) - 35 * log10(hypot(hypot(x - cx, y - cy), 30)) + ((*seed >> 4) % 1000) / 100.0 - 5;
  if (lte) { r->tac = 100 + op; r->cell_identity = 1000 + cell; r->pci = cell; r->earfcn = 1650; r->rsrp_dbm = level; }
  else { r->lac = 200 + op; r->cell_id = 2000 + cell; r->bsic = cell; r->arfcn = 60 + cell; r->power_dbm = level; }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  const char *db = argc > 3 && !strcmp(argv[2], "--db") ? argv[3] : NULL;
  cs_err err;
  cs_grid_opts o = {0};
  o.cell_size = 100;
  cs_grid_thresholds_default(&o.thr);
  unsigned seed = 1;
  cs_cell_record r;
  if (!db) {
    cs_survey *s = cs_survey_create();
    for (long i = 0; i < n; i++) {
      record_at(i, &r, &seed);
      if (cs_survey_add(s, &r, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    }
    double before = peak_mb(), w0 = cs_clock_s(CLOCK_MONOTONIC), c0 = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID);
    cs_grid *g;
    if (cs_grid_build(s, &o, &g, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    double w1 = cs_clock_s(CLOCK_MONOTONIC), c1 = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID);
    printf("grid (in memory): %ld measurements, %zu cells -> %zu bins x %d groups in %.3f s wall, %.3f s CPU\n",
           n, s->n_cells, g->n_bins, g->n_groups, w1 - w0, c1 - c0);
    printf("peak RSS %.1f MB (survey alone %.1f MB: %zu bytes per observation)\n", peak_mb(), before,
           sizeof(cs_survey_obs));
    cs_grid_destroy(g);
    cs_survey_destroy(s);
    return 0;
  }
  struct stat sb;
  if (stat(db, &sb) != 0) {
    cs_store *st;
    double w0 = cs_clock_s(CLOCK_MONOTONIC);
    if (cs_store_open(db, &st, &err) || cs_store_begin_session(st, "import", NAN, "bench", "bench_grid", NULL, &err)) {
      fprintf(stderr, "%s\n", err.msg);
      return 1;
    }
    for (long i = 0; i < n; i++) {
      record_at(i, &r, &seed);
      if (cs_store_add_record(st, &r, NULL, &err) || (i % 50000 == 49999 && cs_store_commit(st, &err))) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
      }
    }
    if (cs_store_end_session(st, NAN, &err) || cs_store_close(st, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
    printf("wrote %ld records into %s in %.1f s\n", n, db, cs_clock_s(CLOCK_MONOTONIC) - w0);
  }
  double w0 = cs_clock_s(CLOCK_MONOTONIC), c0 = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID);
  cs_store *st;
  cs_survey *s;
  if (cs_store_open(db, &st, &err) || cs_survey_load(st, CS_RAT_NONE, &s, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  cs_store_close(st, &err);
  double w1 = cs_clock_s(CLOCK_MONOTONIC), c1 = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID);
  cs_grid *g;
  if (cs_grid_build(s, &o, &g, &err)) { fprintf(stderr, "%s\n", err.msg); return 1; }
  double w2 = cs_clock_s(CLOCK_MONOTONIC), c2 = cs_clock_s(CLOCK_PROCESS_CPUTIME_ID);
  printf("grid (from %s): %zu measurements loaded in %.3f s wall (%.3f s CPU), gridded in %.3f s wall (%.3f s CPU):"
         " %zu bins x %d groups; total %.3f s\n", db, s->n_obs, w1 - w0, c1 - c0, w2 - w1, c2 - c1, g->n_bins,
         g->n_groups, w2 - w0);
  printf("peak RSS %.1f MB\n", peak_mb());
  cs_grid_destroy(g);
  cs_survey_destroy(s);
  return 0;
}
