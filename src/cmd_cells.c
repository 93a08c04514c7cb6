/* cmd_cells.c: `cellsurvey cells`: one row per unique cell with its estimated site. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cells_json.h"
#include "commands.h"
#include "grid.h"
#include "grid_store.h"

static const char usage[] =
    "usage: cellsurvey cells --db FILE|postgresql://... [--json]\n"
    "\n"
    "Lists every unique cell of the store (RAT, PLMN, LAC/TAC, cell id, BSIC/PCI, samples) with the\n"
    "site position estimated from the drive-test levels (docs/coverage.md). Cells heard from too few\n"
    "places get no position and a reason. --json: one JSON object per cell per line (JSON Lines).\n";

int cmd_cells(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
      {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0}};
  const char *db = NULL;
  int json = 0, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'd') db = optarg;
    else if (c == 'j') json = 1;
    else if (c == 'h') { fputs(usage, stdout); return 0; }
    else { fputs(usage, stderr); return 2; }
  }
  if (!db || optind != argc) { fputs(usage, stderr); return 2; }
  cs_err err = {{0}};
  cs_survey *s = NULL;
  cs_site_estimate *est = NULL;
  int *order = NULL;
  cs_utm_zone zone = {0, 0};
  cs_status st = cs_survey_from_db(db, &s, &err);
  if (!st && s->n_obs) st = cs_survey_zone(s, &zone, &err);
  if (!st) st = cs_sites_estimate(s, zone, &est, &err);
  if (!st && !(order = cs_cells_sorted(s))) st = cs_fail(&err, CS_ERR_ENV, "out of memory");
  if (st) {
    fprintf(stderr, "cellsurvey cells: %s\n", err.msg);
    cs_survey_destroy(s);
    free(est);
    return (int)st;
  }
  if (!json)
    printf("%-4s %-7s %6s %10s %5s %6s %7s %11s %11s %8s  %s\n", "rat", "plmn", "area", "cell", "bsic", "chan",
           "samples", "est_lat", "est_lon", "radius_m", "note");
  for (size_t k = 0; k < s->n_cells; k++) {
    int i = order[k];
    const cs_survey_cell *cl = &s->cells[i];
    const cs_site_estimate *e = &est[i];
    if (json) {
      cJSON *o = cs_cell_json(cl, e);
      char *t = cJSON_PrintUnformatted(o);
      if (t) puts(t);
      free(t);
      cJSON_Delete(o);
      continue;
    }
    char plmn[16], area[12] = "-", cid[24] = "-", code[12] = "-", chan[12] = "-", lat[32] = "-", lon[32] = "-", rad[32] = "-";
    cs_survey_operator(cl, plmn, sizeof plmn);
    if (cl->area >= 0) snprintf(area, sizeof area, "%d", cl->area);
    if (cl->cid >= 0) snprintf(cid, sizeof cid, "%lld", (long long)cl->cid);
    if (cl->code >= 0) snprintf(code, sizeof code, "%d", cl->code);
    if (cl->channel >= 0) snprintf(chan, sizeof chan, "%d", cl->channel);
    if (e->ok) {
      snprintf(lat, sizeof lat, "%.6f", e->lat);
      snprintf(lon, sizeof lon, "%.6f", e->lon);
      snprintf(rad, sizeof rad, "%.0f", e->radius_m);
    }
    printf("%-4s %-7s %6s %10s %5s %6s %7d %11s %11s %8s  %s\n", cs_rat_name(cl->rat), plmn, area, cid, code, chan,
           cl->samples, lat, lon, rad, e->ok ? "" : e->reason);
  }
  free(order);
  free(est);
  cs_survey_destroy(s);
  return 0;
}
