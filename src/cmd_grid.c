/* cmd_grid.c: `cellsurvey grid`: the coverage grid (GeoJSON) and the gap report (table, JSON). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "commands.h"
#include "grid.h"
#include "grid_store.h"

static const char usage[] =
    "usage: cellsurvey grid --db FILE|postgresql://... [--cell-size METRES] [--operator MCC-MNC]\n"
    "                       [--rat gsm|lte] [--geojson OUT] [--gaps-json OUT] [--json]\n"
    "                       [--strong-gsm DBM] [--usable-gsm DBM] [--strong-lte DBM] [--usable-lte DBM]\n"
    "\n"
    "Bins the survey on the local UTM zone (cell size 25..1000 m, default 100) and classes every\n"
    "visited bin per operator and RAT as strong, variable or none (docs/coverage.md). Writes the bins\n"
    "as GeoJSON Polygons and prints the gap report (--json: as JSON on stdout).\n";

int map_parse_rat(const char *s, cs_rat *rat) {
  if (!strcmp(s, "gsm")) *rat = CS_RAT_GSM;
  else if (!strcmp(s, "lte")) *rat = CS_RAT_LTE;
  else return -1;
  return 0;
}

int map_parse_operator(const char *s) {
  char mcc[4], mnc[4];
  int n = 0;
  return sscanf(s, "%3[0-9]-%3[0-9]%n", mcc, mnc, &n) == 2 && !s[n] && strlen(mcc) == 3 && strlen(mnc) >= 2 ? 0 : -1;
}

static int parse_dbm(const char *s, float *out) {
  char *end;
  double v = strtod(s, &end);
  if (*end || v < -200 || v > 0) return -1;
  *out = (float)v;
  return 0;
}

int cmd_grid(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, NULL, 'd'},        {"cell-size", required_argument, NULL, 's'},
      {"operator", required_argument, NULL, 'o'},  {"rat", required_argument, NULL, 'r'},
      {"geojson", required_argument, NULL, 'g'},   {"gaps-json", required_argument, NULL, 'G'},
      {"json", no_argument, NULL, 'j'},            {"strong-gsm", required_argument, NULL, 1},
      {"usable-gsm", required_argument, NULL, 2},  {"strong-lte", required_argument, NULL, 3},
      {"usable-lte", required_argument, NULL, 4},  {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  const char *db = NULL, *geojson = NULL, *gaps_json = NULL;
  int json = 0, c;
  cs_grid_opts o = {0};
  o.cell_size = 100;
  cs_grid_thresholds_default(&o.thr);
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    char *end;
    switch (c) {
    case 'd': db = optarg; break;
    case 's':
      o.cell_size = strtod(optarg, &end);
      if (*end || !(o.cell_size >= 25 && o.cell_size <= 1000)) {
        fprintf(stderr, "cellsurvey grid: --cell-size '%s' is not 25..1000 metres\n", optarg);
        return 2;
      }
      break;
    case 'o':
      if (map_parse_operator(optarg)) { fprintf(stderr, "cellsurvey grid: --operator '%s' is not MCC-MNC\n", optarg); return 2; }
      o.operator_filter = optarg;
      break;
    case 'r':
      if (map_parse_rat(optarg, &o.rat_filter)) { fprintf(stderr, "cellsurvey grid: --rat '%s' is not gsm or lte\n", optarg); return 2; }
      break;
    case 'g': geojson = optarg; break;
    case 'G': gaps_json = optarg; break;
    case 'j': json = 1; break;
    case 1: case 2: case 3: case 4: {
      float *t = c == 1 ? &o.thr.strong_dbm[CS_RAT_GSM] : c == 2 ? &o.thr.usable_dbm[CS_RAT_GSM]
               : c == 3 ? &o.thr.strong_dbm[CS_RAT_LTE] : &o.thr.usable_dbm[CS_RAT_LTE];
      if (parse_dbm(optarg, t)) { fprintf(stderr, "cellsurvey grid: threshold '%s' is not a level in dBm\n", optarg); return 2; }
      break;
    }
    case 'h': fputs(usage, stdout); return 0;
    default: fputs(usage, stderr); return 2;
    }
  }
  if (!db || optind != argc) { fputs(usage, stderr); return 2; }
  if (o.thr.usable_dbm[CS_RAT_GSM] > o.thr.strong_dbm[CS_RAT_GSM] || o.thr.usable_dbm[CS_RAT_LTE] > o.thr.strong_dbm[CS_RAT_LTE]) {
    fprintf(stderr, "cellsurvey grid: a usable threshold is above its strong threshold\n");
    return 2;
  }
  cs_err err = {{0}};
  cs_grid *g = NULL;
  cs_status st = cs_grid_from_store(db, &o, &g, &err);
  if (!st && geojson) st = cs_grid_write_geojson(g, geojson, &err);
  if (!st && gaps_json) st = cs_grid_write_gaps_json(g, gaps_json, &err);
  if (!st) {
    if (json) {
      cJSON *j = cs_grid_gaps_json(g);
      char *s = cJSON_PrintUnformatted(j);
      if (s) puts(s);
      free(s);
      cJSON_Delete(j);
    } else {
      cs_grid_print_gaps(g, stdout);
    }
  }
  cs_grid_destroy(g);
  if (st) fprintf(stderr, "cellsurvey grid: %s\n", err.msg);
  return (int)st;
}
