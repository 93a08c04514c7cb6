/* sites.c: cell-site estimation by path-loss least squares over drive-test places (sites.h). */
#include "sites.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SITE_H_M 30.0
#define N_MIN 2.0
#define N_MAX 6.0
#define MAX_FIT_PLACES 3000

typedef struct { double x, y, p; } place;
typedef struct { int64_t key; double x, y; float p; } site_obs;

static int cmp_key(const void *a, const void *b) {
  int64_t x = ((const site_obs *)a)->key, y = ((const site_obs *)b)->key;
  return (x > y) - (x < y);
}

/* For a candidate site (X, Y): P0 and n by least squares, n clamped; returns the SSE. */
static double fit_at(const place *pl, int m, double X, double Y, double *p0, double *n_out) {
  double sl = 0, sp = 0, sll = 0, slp = 0;
  for (int i = 0; i < m; i++) {
    double dx = pl[i].x - X, dy = pl[i].y - Y;
    double l = 5.0 * log10(dx * dx + dy * dy + SITE_H_M * SITE_H_M); /* 10 log10(d) */
    sl += l; sp += pl[i].p; sll += l * l; slp += l * pl[i].p;
  }
  double ml = sl / m, mp = sp / m, var = sll / m - ml * ml, cov = slp / m - ml * mp;
  double n = var > 1e-12 ? -cov / var : N_MIN;
  if (n < N_MIN) n = N_MIN;
  if (n > N_MAX) n = N_MAX;
  double a = mp + n * ml, sse = 0;
  for (int i = 0; i < m; i++) {
    double dx = pl[i].x - X, dy = pl[i].y - Y;
    double r = pl[i].p - (a - n * 5.0 * log10(dx * dx + dy * dy + SITE_H_M * SITE_H_M));
    sse += r * r;
  }
  if (p0) *p0 = a;
  if (n_out) *n_out = n;
  return sse;
}

static void estimate_one(const place *pl, int m, cs_utm_zone zone, cs_site_estimate *e) {
  /* start: amplitude-weighted centroid */
  double pmax = -INFINITY, cx = 0, cy = 0, ws = 0;
  for (int i = 0; i < m; i++) if (pl[i].p > pmax) pmax = pl[i].p;
  for (int i = 0; i < m; i++) {
    double w = pow(10.0, (pl[i].p - pmax) / 20.0);
    cx += w * pl[i].x; cy += w * pl[i].y; ws += w;
  }
  cx /= ws; cy /= ws;
  double spread = 0;
  for (int i = 0; i < m; i++) spread = fmax(spread, hypot(pl[i].x - cx, pl[i].y - cy));
  /* coarse grid over the heard area (and half as much again), then finer grids around the best */
  double R = fmax(300.0, 1.5 * spread), bx = cx, by = cy;
  double best = fit_at(pl, m, cx, cy, NULL, NULL);
  int steps = 20;
  for (int level = 0; level < 12; level++) {
    double step = R / steps, ox = bx, oy = by;
    for (int i = -steps; i <= steps; i++)
      for (int j = -steps; j <= steps; j++) {
        double x = ox + i * step, y = oy + j * step;
        double sse = fit_at(pl, m, x, y, NULL, NULL);
        if (sse < best) { best = sse; bx = x; by = y; }
      }
    R = 2 * step;
    steps = 4;
    if (step < 0.5) break;
  }
  double p0, n;
  best = fit_at(pl, m, bx, by, &p0, &n);
  /* curvature of the SSE surface -> covariance 2 sigma^2 H^-1 */
  const double d = 5.0;
  double f0 = best;
  double fxp = fit_at(pl, m, bx + d, by, NULL, NULL), fxm = fit_at(pl, m, bx - d, by, NULL, NULL);
  double fyp = fit_at(pl, m, bx, by + d, NULL, NULL), fym = fit_at(pl, m, bx, by - d, NULL, NULL);
  double fpp = fit_at(pl, m, bx + d, by + d, NULL, NULL), fpm = fit_at(pl, m, bx + d, by - d, NULL, NULL);
  double fmp = fit_at(pl, m, bx - d, by + d, NULL, NULL), fmm = fit_at(pl, m, bx - d, by - d, NULL, NULL);
  double hxx = (fxp - 2 * f0 + fxm) / (d * d), hyy = (fyp - 2 * f0 + fym) / (d * d);
  double hxy = (fpp - fpm - fmp + fmm) / (4 * d * d);
  double det = hxx * hyy - hxy * hxy, sigma2 = m > 4 ? best / (m - 4) : best;
  double radius;
  if (det > 0 && hxx > 0) radius = sqrt(2 * sigma2 * (hxx + hyy) / det); /* trace of 2 s^2 H^-1 */
  else radius = spread;
  if (radius > spread) radius = spread;
  cs_utm_inverse(zone, bx, by, &e->lat, &e->lon);
  e->radius_m = fmax(radius, CS_SITE_PLACE_M / 2);
  e->exponent = n;
  e->p0_dbm = p0;
  e->rms_db = sqrt(best / m);
  e->ok = 1;
}

cs_status cs_sites_estimate(const cs_survey *s, cs_utm_zone zone, cs_site_estimate **out, cs_err *err) {
  *out = calloc(s->n_cells ? s->n_cells : 1, sizeof **out);
  /* observations grouped by cell: counting sort of indices */
  size_t *start = calloc(s->n_cells + 1, sizeof *start), *idx = malloc((s->n_obs + 1) * sizeof *idx);
  site_obs *so = NULL;
  place *pl = NULL;
  size_t maxc = 0;
  if (!*out || !start || !idx) goto oom;
  for (size_t i = 0; i < s->n_obs; i++) if (s->obs[i].cell >= 0) start[s->obs[i].cell + 1]++;
  for (size_t c = 0; c < s->n_cells; c++) { maxc = start[c + 1] > maxc ? start[c + 1] : maxc; start[c + 1] += start[c]; }
  {
    size_t *fill = calloc(s->n_cells + 1, sizeof *fill);
    if (!fill) goto oom;
    for (size_t i = 0; i < s->n_obs; i++) {
      int c = s->obs[i].cell;
      if (c >= 0) idx[start[c] + fill[c]++] = i;
    }
    free(fill);
  }
  so = malloc((maxc + 1) * sizeof *so);
  pl = malloc((maxc + 1) * sizeof *pl);
  if (!so || !pl) goto oom;
  for (size_t c = 0; c < s->n_cells; c++) {
    cs_site_estimate *e = &(*out)[c];
    e->lat = e->lon = e->radius_m = e->exponent = e->p0_dbm = e->rms_db = NAN;
    /* calibrated dBm when the cell has it, else the uncalibrated dBFS: the fit only needs
     * relative levels of one kind (P0 absorbs the offset), never a mix of the two */
    size_t n_dbm = 0, n_dbfs = 0, k = 0;
    for (size_t j = start[c]; j < start[c + 1]; j++) {
      n_dbm += !isnan(s->obs[idx[j]].dbm);
      n_dbfs += !isnan(s->obs[idx[j]].dbfs);
    }
    int use_dbm = n_dbm >= n_dbfs;
    for (size_t j = start[c]; j < start[c + 1]; j++) {
      const cs_survey_obs *o = &s->obs[idx[j]];
      float level = use_dbm ? o->dbm : o->dbfs;
      if (isnan(level)) continue;
      double x, y;
      cs_utm_forward(zone, o->lat, o->lon, &x, &y);
      int64_t ix = (int64_t)floor(x / CS_SITE_PLACE_M), iy = (int64_t)floor(y / CS_SITE_PLACE_M);
      so[k].key = ix * 100000000LL + iy;
      so[k].x = x; so[k].y = y; so[k].p = level;
      k++;
    }
    if (k == 0) {
      snprintf(e->reason, sizeof e->reason, "%s",
               s->cells[c].positioned ? "no level (dBm or dBFS) in its records" : "no record with a position (GPS fix)");
      continue;
    }
    qsort(so, k, sizeof *so, cmp_key);
    int m = 0;
    for (size_t i = 0; i < k;) {
      size_t j = i;
      double sx = 0, sy = 0, sp = 0;
      while (j < k && so[j].key == so[i].key) { sx += so[j].x; sy += so[j].y; sp += so[j].p; j++; }
      pl[m].x = sx / (double)(j - i); pl[m].y = sy / (double)(j - i); pl[m].p = sp / (double)(j - i);
      m++;
      i = j;
    }
    e->places = m;
    if (m < CS_SITE_MIN_PLACES) {
      snprintf(e->reason, sizeof e->reason, "heard from %d place%s; %d needed", m, m == 1 ? "" : "s", CS_SITE_MIN_PLACES);
      continue;
    }
    double x0 = pl[0].x, y0 = pl[0].y, span = 0;
    for (int i = 1; i < m; i++) span = fmax(span, hypot(pl[i].x - x0, pl[i].y - y0));
    if (span < CS_SITE_MIN_SPREAD_M) {
      snprintf(e->reason, sizeof e->reason, "heard only within %.0f m; %.0f m needed", span, CS_SITE_MIN_SPREAD_M);
      continue;
    }
    if (m > MAX_FIT_PLACES) { /* a fleet's worth of places: every k-th is plenty for the fit */
      int step = (m + MAX_FIT_PLACES - 1) / MAX_FIT_PLACES, k2 = 0;
      for (int i = 0; i < m; i += step) pl[k2++] = pl[i];
      m = k2;
    }
    estimate_one(pl, m, zone, e);
  }
  free(start); free(idx); free(so); free(pl);
  return CS_OK;
oom:
  free(*out); *out = NULL;
  free(start); free(idx); free(so); free(pl);
  return cs_fail(err, CS_ERR_ENV, "out of memory estimating cell sites");
}
