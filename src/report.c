/* report.c: the offline HTML report (report.h): one self-contained index.html, no script, no
 * network. Maps are drawn here as inline SVG in the survey's UTM frame (bins coloured by class,
 * the track, estimated sites, scale bar); spectrum plots are inline SVG from the spectrum table. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cells_json.h"

#define MAP_W 520.0
#define MAP_H_MAX 420.0
#define PLOT_W 760.0
#define PLOT_H 240.0

static const char *const class_fill[3] = {"#d7301f", "#fdae3b", "#2ca25f"}; /* none, variable, strong */

static void esc(FILE *f, const char *s) {
  for (; s && *s; s++) {
    if (*s == '<') fputs("&lt;", f);
    else if (*s == '>') fputs("&gt;", f);
    else if (*s == '&') fputs("&amp;", f);
    else if (*s == '"') fputs("&quot;", f);
    else fputc(*s, f);
  }
}

static void fmt_dbm(char *buf, size_t cap, double v) {
  if (isfinite(v)) snprintf(buf, cap, "%.1f", v);
  else snprintf(buf, cap, "&ndash;");
}

typedef struct {
  double x0, y1, scale; /* frame: px = (x - x0) * scale, py = (y1 - y) * scale */
  double w, h;
} frame;

static frame make_frame(const cs_grid *g) {
  int32_t a = g->ix[0], b = g->ix[0], c = g->iy[0], d = g->iy[0];
  for (size_t i = 1; i < g->n_bins; i++) {
    if (g->ix[i] < a) a = g->ix[i];
    if (g->ix[i] > b) b = g->ix[i];
    if (g->iy[i] < c) c = g->iy[i];
    if (g->iy[i] > d) d = g->iy[i];
  }
  double pad = g->cell_size;
  double x0 = a * g->cell_size - pad, x1 = (b + 1) * g->cell_size + pad;
  double y0 = c * g->cell_size - pad, y1 = (d + 1) * g->cell_size + pad;
  frame fr;
  fr.scale = fmin(MAP_W / (x1 - x0), MAP_H_MAX / (y1 - y0));
  fr.x0 = x0;
  fr.y1 = y1;
  fr.w = (x1 - x0) * fr.scale;
  fr.h = (y1 - y0) * fr.scale;
  return fr;
}

static void map_svg(FILE *f, const report_data *d, int k, const frame *fr) {
  const cs_grid *g = d->g;
  fprintf(f, "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
             "role=\"img\" aria-label=\"coverage map\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"#f4f1ea\"/>\n",
          fr->w, fr->h + 40, fr->w, fr->h + 40);
  double cs = g->cell_size * fr->scale;
  for (size_t b = 0; b < g->n_bins; b++) {
    const cs_grid_value *v = &g->v[b * g->n_groups + k];
    double px = (g->ix[b] * g->cell_size - fr->x0) * fr->scale, py = (fr->y1 - (g->iy[b] + 1) * g->cell_size) * fr->scale;
    char best[16], med[16];
    fmt_dbm(best, sizeof best, v->best_dbm);
    fmt_dbm(med, sizeof med, v->median_dbm);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" fill-opacity=\"0.75\">"
               "<title>%s: %d samples, best %s dBm, median %s dBm</title></rect>\n",
            px, py, cs + 0.3, cs + 0.3, class_fill[v->cls], cs_class_name(v->cls), v->samples, best, med);
  }
  /* the track: polylines, broken where consecutive points are more than 5 bins apart */
  fputs("<g fill=\"none\" stroke=\"#1f3b73\" stroke-width=\"1\" stroke-opacity=\"0.6\">", f);
  const cs_survey *s = d->s;
  size_t step = 1, n_track = 0;
  for (size_t i = 0; i < s->n_obs; i++) n_track += s->obs[i].cell < 0;
  if (n_track > 6000) step = n_track / 6000 + 1;
  int open = 0;
  double lx = 0, ly = 0;
  size_t seen = 0;
  for (size_t i = 0; i < s->n_obs; i++) {
    if (s->obs[i].cell >= 0 || seen++ % step) continue;
    double x, y;
    cs_utm_forward(g->zone, s->obs[i].lat, s->obs[i].lon, &x, &y);
    if (open && hypot(x - lx, y - ly) > 5 * g->cell_size * step) { fputs("\"/>", f); open = 0; }
    fprintf(f, "%s%.1f,%.1f", open ? " " : "<polyline points=\"", (x - fr->x0) * fr->scale, (fr->y1 - y) * fr->scale);
    open = 1;
    lx = x;
    ly = y;
  }
  if (open) fputs("\"/>", f);
  fputs("</g>\n", f);
  /* estimated sites of this operator+RAT */
  for (size_t i = 0; i < s->n_cells; i++) {
    const cs_survey_cell *c = &s->cells[i];
    const cs_site_estimate *e = &d->sites[i];
    if (!e->ok || c->rat != g->groups[k].rat || strcmp(c->plmn.mcc, g->groups[k].plmn.mcc) ||
        strcmp(c->plmn.mnc, g->groups[k].plmn.mnc))
      continue;
    double x, y;
    cs_utm_forward(g->zone, e->lat, e->lon, &x, &y);
    double px = (x - fr->x0) * fr->scale, py = (fr->y1 - y) * fr->scale;
    char label[48];
    cs_survey_cell_label(c, label, sizeof label);
    fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"#000\" stroke-dasharray=\"3 2\"/>"
               "<path d=\"M%.1f %.1f l-6 10 h12 z\" fill=\"#000\"><title>site of ",
            px, py, fmax(e->radius_m * fr->scale, 3), px, py - 6);
    esc(f, label);
    int left = px > fr->w - 110; /* label on the left near the right edge */
    fprintf(f, " (%.6f, %.6f, 1-sigma %.0f m)</title></path><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\"%s>", e->lat,
            e->lon, e->radius_m, left ? px - 8 : px + 8, py + 4, left ? " text-anchor=\"end\"" : "");
    esc(f, label);
    fputs("</text>\n", f);
  }
  /* scale bar: a round length near a quarter of the width */
  double target = fr->w / 4 / fr->scale, len = pow(10, floor(log10(target)));
  if (len * 5 <= target) len *= 5;
  else if (len * 2 <= target) len *= 2;
  fprintf(f, "<g font-size=\"11\"><rect x=\"10\" y=\"%.0f\" width=\"%.1f\" height=\"5\" fill=\"#000\"/>"
             "<text x=\"10\" y=\"%.0f\">%g %s</text>",
          fr->h + 12, len * fr->scale, fr->h + 32, len >= 1000 ? len / 1000 : len, len >= 1000 ? "km" : "m");
  fprintf(f, "<text x=\"%.0f\" y=\"%.0f\">UTM zone %d%s, north up, bins %.0f m</text></g>\n</svg>\n",
          fr->w - 250 > 150 ? fr->w - 250 : 150, fr->h + 32, g->zone.zone, g->zone.south ? "S" : "N", g->cell_size);
}

/* ---- spectrum ---- */

typedef struct {
  cs_rat rat;
  char band[16];
  int channel;
  double freq_hz, bandwidth_hz, power_dbfs, noise_dbfs;
  int occupied;
} spec_pt;

static int cmp_spec(const void *a, const void *b) {
  const spec_pt *x = a, *y = b;
  if (x->rat != y->rat) return (int)x->rat - (int)y->rat;
  int c = strcmp(x->band, y->band);
  if (c) return c;
  return (x->freq_hz > y->freq_hz) - (x->freq_hz < y->freq_hz);
}

/* One plot per band: the strongest power seen per channel over the survey (line), the noise
 * floor (grey) and occupied channels (dots). */
static void spectrum_svgs(FILE *f, const report_data *d) {
  size_t n = d->n_spec;
  if (!n) { fputs("<p>No spectrum rows in this store (spectrum and scan write them).</p>\n", f); return; }
  spec_pt *p = malloc(n * sizeof *p);
  if (!p) return;
  for (size_t i = 0; i < n; i++) {
    const cs_channel *ch = &d->spec[i];
    p[i].rat = ch->rat;
    snprintf(p[i].band, sizeof p[i].band, "%s", ch->band);
    p[i].channel = ch->channel;
    p[i].freq_hz = ch->freq_hz;
    p[i].bandwidth_hz = ch->bandwidth_hz;
    p[i].power_dbfs = ch->power_dbfs;
    p[i].noise_dbfs = ch->noise_dbfs;
    p[i].occupied = ch->occupied;
  }
  qsort(p, n, sizeof *p, cmp_spec);
  /* merge repeated channels: max power, min noise, occupied if ever */
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (m && p[m - 1].rat == p[i].rat && !strcmp(p[m - 1].band, p[i].band) && fabs(p[m - 1].freq_hz - p[i].freq_hz) < 1) {
      p[m - 1].power_dbfs = fmax(p[m - 1].power_dbfs, p[i].power_dbfs);
      if (isfinite(p[i].noise_dbfs)) p[m - 1].noise_dbfs = isfinite(p[m - 1].noise_dbfs) ? fmin(p[m - 1].noise_dbfs, p[i].noise_dbfs) : p[i].noise_dbfs;
      p[m - 1].occupied |= p[i].occupied;
    } else {
      p[m++] = p[i];
    }
  }
  for (size_t a = 0; a < m;) {
    size_t b = a;
    while (b < m && p[b].rat == p[a].rat && !strcmp(p[b].band, p[a].band)) b++;
    double f0 = p[a].freq_hz - p[a].bandwidth_hz / 2, f1 = p[b - 1].freq_hz + p[b - 1].bandwidth_hz / 2;
    double lo = INFINITY, hi = -INFINITY;
    int lte = p[a].rat == CS_RAT_LTE;
    for (size_t i = a; i < b; i++) {
      lo = fmin(lo, isfinite(p[i].noise_dbfs) ? fmin(p[i].noise_dbfs, p[i].power_dbfs) : p[i].power_dbfs);
      hi = fmax(hi, p[i].power_dbfs);
    }
    if (f1 - f0 < 1e5) { f0 -= 1e5; f1 += 1e5; }
    lo = floor(lo / 10) * 10 - 5;
    hi = ceil(hi / 10) * 10 + 5;
    const double L = 50, R = 30, T = 10, B = 35, W = PLOT_W - L - R, H = PLOT_H - T - B;
#define PX(fr) (L + ((fr) - f0) / (f1 - f0) * W)
#define PY(db) (T + (hi - (db)) / (hi - lo) * H)
    fprintf(f, "<h3>%s band %s</h3>\n<svg class=\"plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"spectrum\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            p[a].rat == CS_RAT_GSM ? "GSM" : "LTE", p[a].band, PLOT_W, PLOT_H, PLOT_W, PLOT_H);
    fprintf(f, "<g stroke=\"#ddd\" font-size=\"10\" fill=\"#444\">");
    for (double db = lo + 5; db <= hi; db += 10)
      fprintf(f, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/><text x=\"4\" y=\"%.1f\" stroke=\"none\">%.0f</text>", L,
              L + W, PY(db), PY(db), PY(db) + 3, db);
    for (int t = 0; t <= 4; t++) {
      double fr = f0 + (f1 - f0) * t / 4;
      fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" stroke=\"none\" text-anchor=\"middle\">%.2f</text>", PX(fr), T + H + 14, fr / 1e6);
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" stroke=\"none\" text-anchor=\"middle\">MHz (power in dBFS per channel)</text></g>\n",
            L + W / 2, T + H + 30);
    if (lte) { /* carriers: a block over each channel bandwidth, from the noise floor to its power */
      for (size_t i = a; i < b; i++) {
        double nf = isfinite(p[i].noise_dbfs) ? p[i].noise_dbfs : lo;
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1f3b73\" fill-opacity=\"0.35\" "
                   "stroke=\"#1f3b73\"/>\n", PX(p[i].freq_hz - p[i].bandwidth_hz / 2), PY(p[i].power_dbfs),
                fmax(1, PX(p[i].freq_hz + p[i].bandwidth_hz / 2) - PX(p[i].freq_hz - p[i].bandwidth_hz / 2)),
                fmax(1, PY(nf) - PY(p[i].power_dbfs)));
      }
    } else {
      fputs("<polyline fill=\"none\" stroke=\"#999\" stroke-width=\"1\" points=\"", f);
      for (size_t i = a; i < b; i++)
        if (isfinite(p[i].noise_dbfs)) fprintf(f, "%.1f,%.1f ", PX(p[i].freq_hz), PY(p[i].noise_dbfs));
      fputs("\"/>\n<polyline fill=\"none\" stroke=\"#1f3b73\" stroke-width=\"1.5\" points=\"", f);
      for (size_t i = a; i < b; i++) fprintf(f, "%.1f,%.1f ", PX(p[i].freq_hz), PY(p[i].power_dbfs));
      fputs("\"/>\n", f);
    }
    for (size_t i = a; i < b; i++)
      if (p[i].occupied)
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#d7301f\"><title>%s %d: %.1f dBFS</title></circle>",
                PX(p[i].freq_hz), PY(p[i].power_dbfs), p[i].rat == CS_RAT_GSM ? "ARFCN" : "EARFCN", p[i].channel, p[i].power_dbfs);
    fputs("\n</svg>\n", f);
#undef PX
#undef PY
    a = b;
  }
  free(p);
}

static void cell_table(FILE *f, const report_data *d) {
  const cs_survey *s = d->s;
  int *order = cs_cells_sorted(s);
  if (!order) return;
  fputs("<table id=\"cells\"><thead><tr><th>RAT</th><th>MCC</th><th>MNC</th><th>LAC/TAC</th><th>Cell id</th>"
        "<th>BSIC/PCI</th><th>ARFCN/EARFCN</th><th>Band</th><th>Samples</th><th>Est. lat</th><th>Est. lon</th>"
        "<th>Radius m</th><th>Note</th></tr></thead><tbody>\n", f);
  for (size_t k = 0; k < s->n_cells; k++) {
    const cs_survey_cell *c = &s->cells[order[k]];
    const cs_site_estimate *e = &d->sites[order[k]];
    fprintf(f, "<tr class=\"cell\"><td>%s</td><td>%s</td><td>%s</td>", cs_rat_name(c->rat), c->plmn.mcc, c->plmn.mnc);
    if (c->area >= 0) fprintf(f, "<td>%d</td>", c->area); else fputs("<td></td>", f);
    if (c->cid >= 0) fprintf(f, "<td>%lld</td>", (long long)c->cid); else fputs("<td></td>", f);
    if (c->code >= 0) fprintf(f, "<td>%d</td>", c->code); else fputs("<td></td>", f);
    if (c->channel >= 0) fprintf(f, "<td>%d</td>", c->channel); else fputs("<td></td>", f);
    fputs("<td>", f);
    esc(f, c->band);
    fprintf(f, "</td><td>%d</td>", c->samples);
    if (e->ok) fprintf(f, "<td>%.6f</td><td>%.6f</td><td>%.0f</td><td></td></tr>\n", e->lat, e->lon, e->radius_m);
    else { fputs("<td></td><td></td><td></td><td>", f); esc(f, e->reason); fputs("</td></tr>\n", f); }
  }
  fputs("</tbody></table>\n", f);
  free(order);
}

cs_status cs_report_write(const report_data *d, const char *path, cs_err *err) {
  FILE *f = fopen(path, "w");
  if (!f) return cs_fail(err, CS_ERR_ENV, "cannot write %s", path);
  const cs_grid *g = d->g;
  char now[40];
  cs_format_time((double)time(NULL), now, sizeof now);
  fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>cellsurvey coverage report</title>\n"
        "<style>body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1160px}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:2px 6px;font-size:13px;text-align:right}"
        "th{background:#eee}td:first-child,th:first-child{text-align:left}.legend span{display:inline-block;width:14px;height:14px;"
        "margin:0 4px 0 12px;vertical-align:middle}svg{display:block;border:1px solid #ccc;margin:.5em 0}"
        "h2{border-bottom:2px solid #1f3b73;padding-bottom:2px}.mapfig{display:inline-block;margin:0 12px 8px 0;"
        "vertical-align:top}figcaption{font-weight:bold}</style>\n</head><body>\n", f);
  fputs("<h1>cellsurvey coverage report</h1>\n<p>Store: <code>", f);
  esc(f, d->db_label);
  fprintf(f, "</code>; generated %s; %zu positioned observations, %zu cells", now, d->s->n_obs, d->s->n_cells);
  if (g->n_bins)
    fprintf(f, "; %zu visited bins of %.0f m (%.2f km&sup2;), UTM zone %d%s.</p>\n", g->n_bins, g->cell_size,
            g->n_bins * g->cell_size * g->cell_size / 1e6, g->zone.zone, g->zone.south ? "S" : "N");
  else
    fputs("; no record has a position, so there is no map (spectrum and cells below).</p>\n", f);
  fputs("<p class=\"legend\">Classes:<span style=\"background:#2ca25f\"></span>strong<span style=\"background:#fdae3b\">"
        "</span>variable<span style=\"background:#d7301f\"></span>none (surveyed, no usable service). Bins never visited "
        "are left blank: not surveyed is not no service.</p>\n", f);
  fputs("<h2 id=\"summary\">Coverage summary</h2>\n<table id=\"coverage\"><thead><tr><th>Operator</th><th>RAT</th>"
        "<th>Visited bins</th><th>Strong</th><th>Variable</th><th>None</th><th>Covered</th></tr></thead><tbody>\n", f);
  for (int k = 0; k < g->n_groups; k++) {
    cs_gap_summary gs;
    cs_grid_gaps(g, k, &gs);
    fprintf(f, "<tr><td>%s-%s</td><td>%s</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%.1f%%</td></tr>\n",
            g->groups[k].plmn.mcc, g->groups[k].plmn.mnc, cs_rat_name(g->groups[k].rat), gs.visited, gs.strong,
            gs.variable, gs.none, 100 * gs.covered_share);
  }
  fputs("</tbody></table>\n<h2 id=\"maps\">Coverage maps</h2>\n", f);
  if (g->n_bins) {
    frame fr = make_frame(g);
    for (int k = 0; k < g->n_groups; k++) {
      fprintf(f, "<figure class=\"mapfig\"><figcaption>%s-%s %s</figcaption>\n", g->groups[k].plmn.mcc,
              g->groups[k].plmn.mnc, g->groups[k].rat == CS_RAT_GSM ? "GSM" : "LTE");
      map_svg(f, d, k, &fr);
      fputs("</figure>\n", f);
    }
  }
  if (!g->n_groups) fputs("<p>No operator was decoded in this survey.</p>\n", f);
  fputs("<h2 id=\"spectrum\">Spectrum</h2>\n", f);
  spectrum_svgs(f, d);
  fputs("<h2 id=\"cells-heading\">Cells</h2>\n", f);
  cell_table(f, d);
  fputs("<h2 id=\"gaps\">Gaps</h2>\n<p>Visited bins without usable service, per operator and RAT (bin centres).</p>\n", f);
  for (int k = 0; k < g->n_groups; k++) {
    size_t total = 0, shown = 0;
    for (size_t b = 0; b < g->n_bins; b++) total += g->v[b * g->n_groups + k].cls == CS_CLASS_NONE;
    fprintf(f, "<h3>%s-%s %s: %zu gap bins</h3>\n", g->groups[k].plmn.mcc, g->groups[k].plmn.mnc,
            cs_rat_name(g->groups[k].rat), total);
    if (!total) continue;
    fputs("<table class=\"gaps\"><thead><tr><th>Lat</th><th>Lon</th><th>Samples</th><th>Best dBm</th></tr></thead><tbody>\n", f);
    for (size_t b = 0; b < g->n_bins && shown < 300; b++) {
      const cs_grid_value *v = &g->v[b * g->n_groups + k];
      if (v->cls != CS_CLASS_NONE) continue;
      double lat, lon;
      char best[16];
      cs_grid_centre(g, b, &lat, &lon);
      fmt_dbm(best, sizeof best, v->best_dbm);
      fprintf(f, "<tr><td>%.6f</td><td>%.6f</td><td>%d</td><td>%s</td></tr>\n", lat, lon, v->samples, best);
      shown++;
    }
    fputs("</tbody></table>\n", f);
    if (total > shown) fprintf(f, "<p>&hellip; and %zu more (see <code>cellsurvey grid --gaps-json</code>).</p>\n", total - shown);
  }
  fputs("<p><small>Thresholds, projection and site estimation: docs/coverage.md.</small></p>\n</body></html>\n", f);
  int bad = ferror(f);
  bad |= fclose(f) != 0;
  return bad ? cs_fail(err, CS_ERR_ENV, "writing %s failed", path) : CS_OK;
}
