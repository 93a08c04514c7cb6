/* coarsen.c: position coarsening for exports (see coarsen.h). */
#include "coarsen.h"

#include <math.h>

#define M_PER_DEG_LAT 111320.0

void cs_survey_coarsen(cs_survey *s, double metres) {
  double dlat = metres / M_PER_DEG_LAT;
  size_t k = 0;
  for (size_t i = 0; i < s->n_obs; i++) {
    cs_survey_obs o = s->obs[i];
    if (o.cell < 0) continue; /* track point: the trace itself */
    double lat = (floor(o.lat / dlat) + 0.5) * dlat;
    if (lat > 90) lat = 90 - dlat / 2;
    double dlon = metres / (M_PER_DEG_LAT * fmax(cos(lat * M_PI / 180.0), 1e-3));
    double lon = (floor((o.lon + 180.0) / dlon) + 0.5) * dlon - 180.0;
    if (lon > 180) lon -= 360;
    o.lat = lat;
    o.lon = lon;
    o.alt = NAN;
    o.t = floor(o.t / 3600.0) * 3600.0;
    s->obs[k++] = o;
  }
  s->n_obs = k;
}
