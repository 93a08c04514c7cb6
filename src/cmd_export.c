/* cmd_export.c: `cellsurvey export`: the survey in OpenCelliD, CellMapper, CSV, GeoJSON, KML or
 * GeoTIFF form (export.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "export.h"
#include "grid_store.h"

static const char usage[] =
    "usage: cellsurvey export --db FILE|postgresql://... --format FORMAT --out PATH [--cell-size METRES]\n"
    "\n"
    "FORMAT: opencellid  OpenCelliD upload CSV (rows OpenCelliD would reject are left out and counted)\n"
    "        cellmapper  CellMapper CSV\n"
    "        csv         every measurement and track point\n"
    "        geojson     measurement points, grid bins and estimated sites (RFC 7946)\n"
    "        kml         the same as KML 2.2 (Google Earth)\n"
    "        geotiff     coverage raster (median dBm and class) per operator and RAT (GDAL)\n";

typedef cs_status (*export_fn)(const cs_map_data *, const char *, cs_export_counts *, cs_err *);

int cmd_export(int argc, char **argv) {
  static const struct option opts[] = {
      {"db", required_argument, NULL, 'd'},        {"format", required_argument, NULL, 'f'},
      {"out", required_argument, NULL, 'o'},       {"cell-size", required_argument, NULL, 's'},
      {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0}};
  static const struct { const char *name; export_fn fn; int needs_grid; } formats[] = {
      {"opencellid", cs_export_opencellid, 0}, {"cellmapper", cs_export_cellmapper, 0},
      {"csv", cs_export_csv, 0},               {"geojson", cs_export_geojson, 1},
      {"kml", cs_export_kml, 1},               {"geotiff", cs_export_geotiff, 1}};
  const char *db = NULL, *format = NULL, *out = NULL;
  double cell_size = 100;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    char *end;
    if (c == 'd') db = optarg;
    else if (c == 'f') format = optarg;
    else if (c == 'o') out = optarg;
    else if (c == 's') {
      cell_size = strtod(optarg, &end);
      if (*end || !(cell_size >= 25 && cell_size <= 1000)) {
        fprintf(stderr, "cellsurvey export: --cell-size '%s' is not 25..1000 metres\n", optarg);
        return 2;
      }
    } else if (c == 'h') { fputs(usage, stdout); return 0; }
    else { fputs(usage, stderr); return 2; }
  }
  if (!db || !format || !out || optind != argc) { fputs(usage, stderr); return 2; }
  int fi = -1;
  for (int i = 0; i < (int)(sizeof formats / sizeof *formats); i++) if (!strcmp(format, formats[i].name)) fi = i;
  if (fi < 0) {
    fprintf(stderr, "cellsurvey export: unknown --format '%s' (opencellid, cellmapper, geojson, kml, csv, geotiff)\n", format);
    return 2;
  }
  cs_err err = {{0}};
  cs_map_data d = {0};
  cs_survey *s = NULL;
  cs_grid *g = NULL;
  cs_site_estimate *sites = NULL;
  cs_export_counts n = {0};
  cs_status st = cs_survey_from_db(db, &s, &err);
  if (!st && formats[fi].needs_grid) {
    cs_grid_opts o = {0};
    o.cell_size = cell_size;
    cs_grid_thresholds_default(&o.thr);
    st = cs_grid_build(s, &o, &g, &err);
    if (!st) st = cs_sites_estimate(s, g->zone, &sites, &err);
  }
  if (!st) {
    d.s = s;
    d.g = g;
    d.sites = sites;
    st = formats[fi].fn(&d, out, &n, &err);
  }
  if (!st) {
    fprintf(stderr, "cellsurvey export: %s: %ld %s written", out, n.written, fi == 5 ? "bands" : "rows");
    if (n.rejected)
      fprintf(stderr, ", %ld left out (identity %ld, position %ld, time %ld, signal %ld)", n.rejected, n.bad_identity,
              n.bad_position, n.bad_time, n.bad_signal);
    fputc('\n', stderr);
  } else {
    fprintf(stderr, "cellsurvey export: %s\n", err.msg);
  }
  free(sites);
  cs_grid_destroy(g);
  cs_survey_destroy(s);
  return (int)st;
}
