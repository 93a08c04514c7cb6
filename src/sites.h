/* sites.h: where is the tower? Cell-site estimates from drive-test levels (docs/coverage.md).
 *
 * Per cell: the observations (calibrated dBm, or dBFS when the cell has no calibrated level: the
 * fit needs relative levels only) are merged into places (20 m squares, mean level), a
 * signal-weighted centroid gives the start, and a log-distance path-loss model
 *   P_i = P0 - 10 n log10(sqrt(d_i^2 + h^2)),  h = 30 m, n in [2, 6]
 * is fitted by least squares over the site position (P0 and n solved in closed form for each
 * candidate position; the position by a coarse-to-fine grid search; beyond 3000 places every
 * k-th is used). est_radius_m is the 1-sigma
 * radius sqrt(var_e + var_n) of the position from the fit's curvature. Cells heard from fewer
 * than CS_SITE_MIN_PLACES places, or only within CS_SITE_MIN_SPREAD_M, get no estimate and a
 * reason. */
#ifndef CS_SITES_H
#define CS_SITES_H

#include "survey.h"
#include "utm.h"

#define CS_SITE_MIN_PLACES 8
#define CS_SITE_MIN_SPREAD_M 150.0
#define CS_SITE_PLACE_M 20.0

typedef struct {
  int ok;               /* 1: est_* hold an estimate */
  int places;           /* distinct places the cell was heard from (with a level) */
  double lat, lon;      /* estimated site */
  double radius_m;      /* 1-sigma position uncertainty */
  double exponent;      /* fitted path-loss exponent n */
  double p0_dbm;        /* fitted level at 1 m (model intercept; dBFS for an uncalibrated cell) */
  double rms_db;        /* fit residual */
  char reason[96];      /* why there is no estimate ("" when ok) */
} cs_site_estimate;

/* One estimate per survey cell (out[i] for s->cells[i]); *out is malloc'd. */
cs_status cs_sites_estimate(const cs_survey *s, cs_utm_zone zone, cs_site_estimate **out, cs_err *err);

#endif
