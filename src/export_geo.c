/* export_geo.c: GeoJSON (RFC 7946) and KML 2.2 exports: measurement points, grid bins, sites. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells_json.h"
#include "export.h"

static cJSON *point(double lon, double lat) {
  cJSON *g = cJSON_CreateObject();
  cJSON_AddStringToObject(g, "type", "Point");
  cJSON *c = cJSON_AddArrayToObject(g, "coordinates");
  cJSON_AddItemToArray(c, cJSON_CreateNumber(round(lon * 1e7) / 1e7));
  cJSON_AddItemToArray(c, cJSON_CreateNumber(round(lat * 1e7) / 1e7));
  return g;
}

static void add_num(cJSON *o, const char *k, double v) {
  if (isfinite(v)) cJSON_AddNumberToObject(o, k, round(v * 100) / 100);
  else cJSON_AddNullToObject(o, k);
}

cs_status cs_export_geojson(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err) {
  FILE *f = fopen(path, "w");
  if (!f) return cs_fail(err, CS_ERR_ENV, "cannot write %s: %s", path, strerror(errno));
  /* streamed feature by feature: a fleet's points need not fit in one cJSON tree */
  fputs("{\"type\":\"FeatureCollection\",\"features\":[", f);
  int first = 1;
#define EMIT(feat) do { char *s_ = cJSON_PrintUnformatted(feat); cJSON_Delete(feat); \
    if (s_) { fprintf(f, "%s\n%s", first ? "" : ",", s_); first = 0; free(s_); n->written++; } } while (0)
  for (size_t i = 0; i < d->s->n_obs; i++) {
    const cs_survey_obs *o = &d->s->obs[i];
    if (o->cell < 0) continue;
    const cs_survey_cell *c = &d->s->cells[o->cell];
    cJSON *ft = cJSON_CreateObject();
    cJSON_AddStringToObject(ft, "type", "Feature");
    cJSON_AddItemToObject(ft, "geometry", point(o->lon, o->lat));
    cJSON *p = cJSON_AddObjectToObject(ft, "properties");
    char op[16], label[48], ts[40] = "";
    cs_survey_operator(c, op, sizeof op);
    cs_survey_cell_label(c, label, sizeof label);
    if (isfinite(o->t)) cs_format_time(o->t, ts, sizeof ts);
    cJSON_AddStringToObject(p, "kind", "measurement");
    cJSON_AddStringToObject(p, "time", ts);
    cJSON_AddStringToObject(p, "operator", op);
    cJSON_AddStringToObject(p, "rat", cs_rat_name(c->rat));
    cJSON_AddStringToObject(p, "cell", label);
    add_num(p, c->rat == CS_RAT_LTE ? "rsrp_dbm" : "power_dbm", o->dbm);
    if (c->rat == CS_RAT_LTE) { add_num(p, "rsrq_db", o->rsrq_db); add_num(p, "sinr_db", o->sinr_db); }
    EMIT(ft);
  }
  for (size_t b = 0; b < d->g->n_bins; b++)
    for (int k = 0; k < d->g->n_groups; k++) { cJSON *ft = cs_grid_bin_feature(d->g, b, k); EMIT(ft); }
  for (size_t i = 0; i < d->s->n_cells; i++) {
    if (!d->sites[i].ok) continue;
    cJSON *ft = cJSON_CreateObject();
    cJSON_AddStringToObject(ft, "type", "Feature");
    cJSON_AddItemToObject(ft, "geometry", point(d->sites[i].lon, d->sites[i].lat));
    cJSON *p = cs_cell_json(&d->s->cells[i], &d->sites[i]);
    cJSON_AddStringToObject(p, "kind", "site");
    cJSON_AddItemToObject(ft, "properties", p);
    EMIT(ft);
  }
#undef EMIT
  fputs("]}\n", f);
  int bad = ferror(f);
  bad |= fclose(f) != 0;
  return bad ? cs_fail(err, CS_ERR_ENV, "writing %s failed: %s", path, strerror(errno)) : CS_OK;
}

static void xml_text(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '<') fputs("&lt;", f);
    else if (*s == '>') fputs("&gt;", f);
    else if (*s == '&') fputs("&amp;", f);
    else if (*s == '"') fputs("&quot;", f);
    else fputc(*s, f);
  }
}

cs_status cs_export_kml(const cs_map_data *d, const char *path, cs_export_counts *n, cs_err *err) {
  FILE *f = fopen(path, "w");
  if (!f) return cs_fail(err, CS_ERR_ENV, "cannot write %s: %s", path, strerror(errno));
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
        "<name>cellsurvey coverage</name>\n", f);
  /* KML colours are aabbggrr */
  static const char *const cls_colour[3] = {"a03c14dc", "a000c8ff", "a03cb43c"}; /* none red, variable amber, strong green */
  for (int c = 0; c < 3; c++)
    fprintf(f, "<Style id=\"%s\"><LineStyle><width>0</width></LineStyle><PolyStyle><color>%s</color></PolyStyle></Style>\n",
            cs_class_name((cs_cover_class)c), cls_colour[c]);
  fputs("<Style id=\"site\"><IconStyle><scale>1.2</scale></IconStyle></Style>\n"
        "<Style id=\"point\"><IconStyle><scale>0.4</scale></IconStyle></Style>\n", f);
  fputs("<Folder><name>Measurements</name>\n", f);
  for (size_t i = 0; i < d->s->n_obs; i++) {
    const cs_survey_obs *o = &d->s->obs[i];
    if (o->cell < 0) continue;
    const cs_survey_cell *c = &d->s->cells[o->cell];
    char label[48], ts[40] = "";
    cs_survey_cell_label(c, label, sizeof label);
    if (isfinite(o->t)) cs_format_time(o->t, ts, sizeof ts);
    fputs("<Placemark><name>", f);
    xml_text(f, label);
    fprintf(f, "</name><styleUrl>#point</styleUrl>");
    if (ts[0]) fprintf(f, "<TimeStamp><when>%s</when></TimeStamp>", ts);
    fprintf(f, "<ExtendedData><Data name=\"rat\"><value>%s</value></Data>", cs_rat_name(c->rat));
    if (isfinite(o->dbm)) fprintf(f, "<Data name=\"level_dbm\"><value>%.1f</value></Data>", o->dbm);
    fprintf(f, "</ExtendedData><Point><coordinates>%.7f,%.7f</coordinates></Point></Placemark>\n", o->lon, o->lat);
    n->written++;
  }
  fputs("</Folder>\n", f);
  const cs_grid *g = d->g;
  for (int k = 0; k < g->n_groups; k++) {
    fprintf(f, "<Folder><name>Grid %s-%s %s (%.0f m)</name>\n", g->groups[k].plmn.mcc, g->groups[k].plmn.mnc,
            cs_rat_name(g->groups[k].rat), g->cell_size);
    for (size_t b = 0; b < g->n_bins; b++) {
      const cs_grid_value *v = &g->v[b * g->n_groups + k];
      fprintf(f, "<Placemark><name>%s</name><styleUrl>#%s</styleUrl><ExtendedData>"
                 "<Data name=\"samples\"><value>%d</value></Data>", cs_class_name(v->cls), cs_class_name(v->cls), v->samples);
      if (isfinite(v->best_dbm)) fprintf(f, "<Data name=\"best_dbm\"><value>%.1f</value></Data>", v->best_dbm);
      if (isfinite(v->median_dbm)) fprintf(f, "<Data name=\"median_dbm\"><value>%.1f</value></Data>", v->median_dbm);
      if (v->best_cell[0]) { fputs("<Data name=\"best_cell\"><value>", f); xml_text(f, v->best_cell); fputs("</value></Data>", f); }
      fputs("</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>", f);
      for (int c = 0; c <= 4; c++) {
        double lat, lon;
        cs_grid_corner(g, b, c % 4, &lat, &lon);
        fprintf(f, "%s%.7f,%.7f", c ? " " : "", lon, lat);
      }
      fputs("</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n", f);
      n->written++;
    }
    fputs("</Folder>\n", f);
  }
  fputs("<Folder><name>Estimated sites</name>\n", f);
  for (size_t i = 0; i < d->s->n_cells; i++) {
    const cs_site_estimate *e = &d->sites[i];
    if (!e->ok) continue;
    char label[48];
    cs_survey_cell_label(&d->s->cells[i], label, sizeof label);
    fputs("<Placemark><name>", f);
    xml_text(f, label);
    fprintf(f, "</name><description>%s, estimated from %d places, 1-sigma %.0f m</description><styleUrl>#site</styleUrl>"
               "<Point><coordinates>%.7f,%.7f</coordinates></Point></Placemark>\n",
            cs_rat_name(d->s->cells[i].rat), e->places, e->radius_m, e->lon, e->lat);
    n->written++;
  }
  fputs("</Folder>\n</Document>\n</kml>\n", f);
  int bad = ferror(f);
  bad |= fclose(f) != 0;
  return bad ? cs_fail(err, CS_ERR_ENV, "writing %s failed: %s", path, strerror(errno)) : CS_OK;
}
