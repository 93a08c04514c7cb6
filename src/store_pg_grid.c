/* store_pg_grid.c: the coverage grid computed inside PostgreSQL/PostGIS (fleet-sized data).
 *
 * The same definition as grid.c: ST_Transform to the UTM zone of the median position, bins of
 * floor(coordinate / size), per bin and operator+RAT count, max, percentile_cont(0.5) (the
 * median of the calibrated levels) and the label of the strongest cell; classes in C with
 * cs_grid_classify(). Only the result (bins x groups) crosses the wire. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pq_dl.h"
#include "store_pg.h"

static cs_status fail(PGconn *c, cs_err *err, const char *what) {
  char msg[300];
  snprintf(msg, sizeof msg, "%s", cs_pq.PQerrorMessage(c));
  size_t n = strlen(msg);
  while (n && msg[n - 1] == '\n') msg[--n] = 0;
  return cs_fail(err, CS_ERR_ENV, "PostgreSQL grid: %s: %s", what, msg);
}

cs_status cs_store_pg_grid(void *self, const cs_grid_opts *o, cs_grid **out, cs_err *err) {
  PGconn *c = cs_store_pg_conn(self);
  *out = NULL;
  if (!(o->cell_size >= 25 && o->cell_size <= 1000))
    return cs_fail(err, CS_ERR_INPUT, "cell size %g m is outside 25..1000 m", o->cell_size);
  cs_utm_zone zone;
  {
    PGresult *r = cs_pq.PQexec(c, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lat),"
                            " percentile_cont(0.5) WITHIN GROUP (ORDER BY lon) FROM (SELECT lat, lon FROM"
                            " measurements WHERE geom IS NOT NULL UNION ALL SELECT lat, lon FROM track) p");
    if (cs_pq.PQresultStatus(r) != PGRES_TUPLES_OK) { cs_pq.PQclear(r); return fail(c, err, "median position"); }
    if (cs_pq.PQgetisnull(r, 0, 0)) { cs_pq.PQclear(r); return cs_fail(err, CS_ERR_INPUT, "the store holds no positioned records"); }
    zone = cs_utm_zone_for(strtod(cs_pq.PQgetvalue(r, 0, 0), NULL), strtod(cs_pq.PQgetvalue(r, 0, 1), NULL));
    cs_pq.PQclear(r);
  }
  char epsg[16], size[32], rat[8] = "", op[8] = "";
  snprintf(epsg, sizeof epsg, "%d", cs_utm_epsg(zone));
  snprintf(size, sizeof size, "%.17g", o->cell_size);
  if (o->rat_filter != CS_RAT_NONE) snprintf(rat, sizeof rat, "%s", cs_rat_name(o->rat_filter));
  if (o->operator_filter) snprintf(op, sizeof op, "%s", o->operator_filter);
  const char *pv[4] = {epsg, size, rat, op};
  static const char sql[] =
      "WITH utm AS ("
      " SELECT ST_Transform(geom, $1::int) AS p, NULL::text AS rat, NULL::text AS op, NULL::float8 AS lvl,"
      "        NULL::text AS label FROM track WHERE geom IS NOT NULL"
      " UNION ALL"
      " SELECT ST_Transform(m.geom, $1::int), m.rat, CASE WHEN c.mcc <> '' THEN c.mcc || '-' || c.mnc END,"
      "        CASE m.rat WHEN 'lte' THEN m.rsrp_dbm ELSE m.power_dbm END,"
      "        CASE WHEN c.mcc <> '' AND c.area >= 0 AND c.cell >= 0"
      "             THEN c.mcc || '-' || c.mnc || '-' || c.area || '-' || c.cell"
      "             ELSE CASE c.rat WHEN 'gsm' THEN 'ARFCN ' ELSE 'EARFCN ' END || c.channel || '/' || c.local_id END"
      " FROM measurements m JOIN cells c ON c.id = m.cell_id WHERE m.geom IS NOT NULL),"
      " pts AS (SELECT floor(ST_X(p) / $2::float8)::bigint AS ix, floor(ST_Y(p) / $2::float8)::bigint AS iy,"
      "        rat, op, lvl, label FROM utm),"
      " vis AS (SELECT DISTINCT ix, iy FROM pts),"
      " val AS (SELECT ix, iy, rat, op, count(*) AS n, max(lvl) AS best,"
      "         percentile_cont(0.5) WITHIN GROUP (ORDER BY lvl) AS med,"
      "         (array_agg(label ORDER BY lvl DESC NULLS LAST))[1] AS label"
      "         FROM pts WHERE op IS NOT NULL AND ($3 = '' OR rat = $3) AND ($4 = '' OR op = $4)"
      "         GROUP BY ix, iy, rat, op)"
      " SELECT vis.ix, vis.iy, val.rat, val.op, val.n, val.best, val.med, val.label"
      " FROM vis LEFT JOIN val ON val.ix = vis.ix AND val.iy = vis.iy ORDER BY vis.ix, vis.iy, val.op, val.rat";
  PGresult *r = cs_pq.PQexecParams(c, sql, 4, NULL, pv, NULL, NULL, 0);
  if (cs_pq.PQresultStatus(r) != PGRES_TUPLES_OK) { cs_pq.PQclear(r); return fail(c, err, "grid query"); }
  int rows = cs_pq.PQntuples(r);
  /* groups (sorted by operator then RAT) and bins */
  cs_grid_group groups[256];
  int n_groups = 0;
  size_t n_bins = 0;
  for (int i = 0; i < rows; i++) {
    if (i == 0 || strcmp(cs_pq.PQgetvalue(r, i, 0), cs_pq.PQgetvalue(r, i - 1, 0)) || strcmp(cs_pq.PQgetvalue(r, i, 1), cs_pq.PQgetvalue(r, i - 1, 1)))
      n_bins++;
    if (cs_pq.PQgetisnull(r, i, 2)) continue;
    cs_grid_group gr;
    memset(&gr, 0, sizeof gr);
    gr.rat = !strcmp(cs_pq.PQgetvalue(r, i, 2), "gsm") ? CS_RAT_GSM : CS_RAT_LTE;
    sscanf(cs_pq.PQgetvalue(r, i, 3), "%3[0-9]-%3[0-9]", gr.plmn.mcc, gr.plmn.mnc);
    int k;
    for (k = 0; k < n_groups; k++)
      if (groups[k].rat == gr.rat && !strcmp(groups[k].plmn.mcc, gr.plmn.mcc) && !strcmp(groups[k].plmn.mnc, gr.plmn.mnc)) break;
    if (k == n_groups) {
      if (n_groups == 256) { cs_pq.PQclear(r); return cs_fail(err, CS_ERR_INPUT, "more than 256 operator+RAT groups"); }
      groups[n_groups++] = gr;
    }
  }
  for (int i = 0; i < n_groups; i++) /* insertion sort: operator, then RAT */
    for (int j = i; j > 0; j--) {
      int cmp = strcmp(groups[j - 1].plmn.mcc, groups[j].plmn.mcc);
      if (!cmp) cmp = strcmp(groups[j - 1].plmn.mnc, groups[j].plmn.mnc);
      if (!cmp) cmp = (int)groups[j - 1].rat - (int)groups[j].rat;
      if (cmp <= 0) break;
      cs_grid_group t = groups[j]; groups[j] = groups[j - 1]; groups[j - 1] = t;
    }
  cs_grid *g = cs_grid_alloc(n_bins, n_groups);
  if (!g) { cs_pq.PQclear(r); return cs_fail(err, CS_ERR_ENV, "out of memory for %zu bins", n_bins); }
  g->cell_size = o->cell_size;
  g->zone = zone;
  memcpy(g->groups, groups, n_groups * sizeof *groups);
  size_t b = (size_t)-1;
  for (int i = 0; i < rows; i++) {
    if (i == 0 || strcmp(cs_pq.PQgetvalue(r, i, 0), cs_pq.PQgetvalue(r, i - 1, 0)) || strcmp(cs_pq.PQgetvalue(r, i, 1), cs_pq.PQgetvalue(r, i - 1, 1))) {
      b++;
      g->ix[b] = (int32_t)strtol(cs_pq.PQgetvalue(r, i, 0), NULL, 10);
      g->iy[b] = (int32_t)strtol(cs_pq.PQgetvalue(r, i, 1), NULL, 10);
    }
    if (cs_pq.PQgetisnull(r, i, 2)) continue;
    cs_rat rt = !strcmp(cs_pq.PQgetvalue(r, i, 2), "gsm") ? CS_RAT_GSM : CS_RAT_LTE;
    char mcc[4] = "", mnc[4] = "";
    sscanf(cs_pq.PQgetvalue(r, i, 3), "%3[0-9]-%3[0-9]", mcc, mnc);
    int k = 0;
    while (k < n_groups && !(g->groups[k].rat == rt && !strcmp(g->groups[k].plmn.mcc, mcc) && !strcmp(g->groups[k].plmn.mnc, mnc))) k++;
    cs_grid_value *v = &g->v[b * n_groups + k];
    v->samples = (int)strtol(cs_pq.PQgetvalue(r, i, 4), NULL, 10);
    v->best_dbm = cs_pq.PQgetisnull(r, i, 5) ? NAN : strtof(cs_pq.PQgetvalue(r, i, 5), NULL);
    v->median_dbm = cs_pq.PQgetisnull(r, i, 6) ? NAN : strtof(cs_pq.PQgetvalue(r, i, 6), NULL);
    snprintf(v->best_cell, sizeof v->best_cell, "%s", cs_pq.PQgetvalue(r, i, 7));
  }
  cs_pq.PQclear(r);
  for (size_t k = 0; k < n_bins * (size_t)n_groups; k++) {
    cs_grid_value *v = &g->v[k];
    v->cls = cs_grid_classify(&o->thr, g->groups[k % n_groups].rat, v->samples, v->best_dbm, v->median_dbm);
  }
  *out = g;
  return CS_OK;
}
