/* grid_write.c: the coverage grid out: GeoJSON bins (RFC 7946) and the gap report (table, JSON). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"

static void group_operator(const cs_grid_group *gr, char *buf, size_t cap) {
  snprintf(buf, cap, "%s-%s", gr->plmn.mcc, gr->plmn.mnc);
}

static cJSON *num_or_null(double v, double scale) {
  return isfinite(v) ? cJSON_CreateNumber(round(v * scale) / scale) : cJSON_CreateNull();
}

cJSON *cs_grid_bin_feature(const cs_grid *g, size_t bin, int group) {
  const cs_grid_value *v = &g->v[bin * g->n_groups + group];
  cJSON *f = cJSON_CreateObject();
  cJSON_AddStringToObject(f, "type", "Feature");
  cJSON *geom = cJSON_AddObjectToObject(f, "geometry");
  cJSON_AddStringToObject(geom, "type", "Polygon");
  cJSON *rings = cJSON_AddArrayToObject(geom, "coordinates");
  cJSON *ring = cJSON_CreateArray();
  cJSON_AddItemToArray(rings, ring);
  for (int k = 0; k <= 4; k++) { /* RFC 7946 3.1.6: exterior ring counter-clockwise, closed */
    double lat, lon;
    cs_grid_corner(g, bin, k % 4, &lat, &lon);
    cJSON *p = cJSON_CreateArray();
    cJSON_AddItemToArray(p, cJSON_CreateNumber(round(lon * 1e7) / 1e7));
    cJSON_AddItemToArray(p, cJSON_CreateNumber(round(lat * 1e7) / 1e7));
    cJSON_AddItemToArray(ring, p);
  }
  cJSON *pr = cJSON_AddObjectToObject(f, "properties");
  char op[16];
  group_operator(&g->groups[group], op, sizeof op);
  cJSON_AddStringToObject(pr, "kind", "bin");
  cJSON_AddStringToObject(pr, "operator", op);
  cJSON_AddStringToObject(pr, "rat", cs_rat_name(g->groups[group].rat));
  cJSON_AddNumberToObject(pr, "samples", v->samples);
  cJSON_AddItemToObject(pr, "best_dbm", num_or_null(v->best_dbm, 10));
  cJSON_AddItemToObject(pr, "median_dbm", num_or_null(v->median_dbm, 10));
  if (v->best_cell[0]) cJSON_AddStringToObject(pr, "best_cell", v->best_cell);
  else cJSON_AddNullToObject(pr, "best_cell");
  cJSON_AddStringToObject(pr, "class", cs_class_name(v->cls));
  cJSON_AddNumberToObject(pr, "cell_size_m", g->cell_size);
  cJSON_AddNumberToObject(pr, "utm_epsg", cs_utm_epsg(g->zone));
  cJSON_AddNumberToObject(pr, "bin_x", g->ix[bin]);
  cJSON_AddNumberToObject(pr, "bin_y", g->iy[bin]);
  return f;
}

static cs_status write_json(cJSON *root, const char *path, cs_err *err) {
  char *s = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  if (!s) return cs_fail(err, CS_ERR_ENV, "out of memory writing %s", path);
  FILE *f = fopen(path, "w");
  if (!f) { free(s); return cs_fail(err, CS_ERR_ENV, "cannot write %s: %s", path, strerror(errno)); }
  int bad = fputs(s, f) < 0 || fputc('\n', f) < 0;
  bad |= fclose(f) != 0;
  free(s);
  return bad ? cs_fail(err, CS_ERR_ENV, "writing %s failed: %s", path, strerror(errno)) : CS_OK;
}

cs_status cs_grid_write_geojson(const cs_grid *g, const char *path, cs_err *err) {
  FILE *f = fopen(path, "w");
  if (!f) return cs_fail(err, CS_ERR_ENV, "cannot write %s: %s", path, strerror(errno));
  /* streamed feature by feature: memory stays flat however many bins */
  fputs("{\"type\":\"FeatureCollection\",\"features\":[", f);
  int first = 1;
  for (size_t b = 0; b < g->n_bins; b++)
    for (int k = 0; k < g->n_groups; k++) {
      cJSON *ft = cs_grid_bin_feature(g, b, k);
      char *s = ft ? cJSON_PrintUnformatted(ft) : NULL;
      cJSON_Delete(ft);
      if (!s) { fclose(f); return cs_fail(err, CS_ERR_ENV, "out of memory writing %s", path); }
      fprintf(f, "%s\n%s", first ? "" : ",", s);
      first = 0;
      free(s);
    }
  fputs("]}\n", f);
  int bad = ferror(f);
  bad |= fclose(f) != 0;
  return bad ? cs_fail(err, CS_ERR_ENV, "writing %s failed: %s", path, strerror(errno)) : CS_OK;
}

void cs_grid_print_gaps(const cs_grid *g, FILE *f) {
  double km2 = g->cell_size * g->cell_size / 1e6;
  fprintf(f, "coverage grid: %zu visited bins of %.0f m (%.2f km2 surveyed), UTM zone %d%s (EPSG:%d)\n",
          g->n_bins, g->cell_size, g->n_bins * km2, g->zone.zone, g->zone.south ? "S" : "N", cs_utm_epsg(g->zone));
  fprintf(f, "%-9s %-4s %8s %8s %8s %8s %9s\n", "operator", "rat", "visited", "strong", "variable", "none", "covered");
  for (int k = 0; k < g->n_groups; k++) {
    cs_gap_summary s;
    cs_grid_gaps(g, k, &s);
    char op[16];
    group_operator(&g->groups[k], op, sizeof op);
    fprintf(f, "%-9s %-4s %8zu %8zu %8zu %8zu %8.1f%%\n", op, cs_rat_name(g->groups[k].rat), s.visited, s.strong,
            s.variable, s.none, 100.0 * s.covered_share);
  }
  for (int k = 0; k < g->n_groups; k++) {
    char op[16];
    group_operator(&g->groups[k], op, sizeof op);
    size_t shown = 0, total = 0;
    for (size_t b = 0; b < g->n_bins; b++) if (g->v[b * g->n_groups + k].cls == CS_CLASS_NONE) total++;
    if (!total) continue;
    fprintf(f, "gaps %s %s (%zu bins without usable service):", op, cs_rat_name(g->groups[k].rat), total);
    for (size_t b = 0; b < g->n_bins && shown < 20; b++) {
      if (g->v[b * g->n_groups + k].cls != CS_CLASS_NONE) continue;
      double lat, lon;
      cs_grid_centre(g, b, &lat, &lon);
      fprintf(f, " %.5f,%.5f", lat, lon);
      shown++;
    }
    fprintf(f, "%s\n", total > shown ? " ..." : "");
  }
}

cJSON *cs_grid_gaps_json(const cs_grid *g) {
  double km2 = g->cell_size * g->cell_size / 1e6;
  cJSON *root = cJSON_CreateObject();
  cJSON_AddNumberToObject(root, "cell_size_m", g->cell_size);
  cJSON_AddNumberToObject(root, "utm_epsg", cs_utm_epsg(g->zone));
  cJSON_AddNumberToObject(root, "visited_bins", (double)g->n_bins);
  cJSON_AddNumberToObject(root, "surveyed_km2", round(g->n_bins * km2 * 1e4) / 1e4);
  cJSON *arr = cJSON_AddArrayToObject(root, "operators");
  for (int k = 0; k < g->n_groups; k++) {
    cs_gap_summary s;
    cs_grid_gaps(g, k, &s);
    char op[16];
    group_operator(&g->groups[k], op, sizeof op);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "operator", op);
    cJSON_AddStringToObject(o, "rat", cs_rat_name(g->groups[k].rat));
    cJSON_AddNumberToObject(o, "visited_bins", (double)s.visited);
    cJSON_AddNumberToObject(o, "strong_bins", (double)s.strong);
    cJSON_AddNumberToObject(o, "variable_bins", (double)s.variable);
    cJSON_AddNumberToObject(o, "none_bins", (double)s.none);
    cJSON_AddNumberToObject(o, "covered_share", round(s.covered_share * 1e4) / 1e4);
    cJSON_AddNumberToObject(o, "covered_km2", round((s.strong + s.variable) * km2 * 1e4) / 1e4);
    cJSON *gaps = cJSON_AddArrayToObject(o, "gaps");
    for (size_t b = 0; b < g->n_bins; b++) {
      const cs_grid_value *v = &g->v[b * g->n_groups + k];
      if (v->cls != CS_CLASS_NONE) continue;
      double lat, lon;
      cs_grid_centre(g, b, &lat, &lon);
      cJSON *gp = cJSON_CreateObject();
      cJSON_AddNumberToObject(gp, "lat", round(lat * 1e6) / 1e6);
      cJSON_AddNumberToObject(gp, "lon", round(lon * 1e6) / 1e6);
      cJSON_AddNumberToObject(gp, "samples", v->samples);
      cJSON_AddItemToObject(gp, "best_dbm", num_or_null(v->best_dbm, 10));
      cJSON_AddItemToArray(gaps, gp);
    }
    cJSON_AddItemToArray(arr, o);
  }
  return root;
}

cs_status cs_grid_write_gaps_json(const cs_grid *g, const char *path, cs_err *err) {
  return write_json(cs_grid_gaps_json(g), path, err);
}
