/* grid.c: the coverage grid built in memory from a survey (grid.h, docs/coverage.md).
 *
 * One pass projects every observation to UTM and keys it by (bin, operator+RAT); one sort puts
 * each bin's samples together, strongest first, so best, median and best server fall out of a
 * single walk. O(N log N) time, 24 bytes per observation. */
#include "grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cs_grid_thresholds_default(cs_grid_thresholds *t) {
  /* GSM RSSI (dBm) and LTE RSRP (dBm); see docs/coverage.md for where they come from */
  t->strong_dbm[CS_RAT_NONE] = t->usable_dbm[CS_RAT_NONE] = 0;
  t->strong_dbm[CS_RAT_GSM] = -85.0f;
  t->usable_dbm[CS_RAT_GSM] = -100.0f;
  t->strong_dbm[CS_RAT_LTE] = -100.0f;
  t->usable_dbm[CS_RAT_LTE] = -115.0f;
}

const char *cs_class_name(cs_cover_class c) {
  return c == CS_CLASS_STRONG ? "strong" : c == CS_CLASS_VARIABLE ? "variable" : "none";
}

cs_cover_class cs_grid_classify(const cs_grid_thresholds *t, cs_rat rat, int samples, float best, float median) {
  if (samples <= 0) return CS_CLASS_NONE;
  if (isnan(best)) return CS_CLASS_VARIABLE; /* decoded, level not calibrated */
  if (median >= t->strong_dbm[rat]) return CS_CLASS_STRONG;
  if (best >= t->usable_dbm[rat]) return CS_CLASS_VARIABLE;
  return CS_CLASS_NONE;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

cs_status cs_survey_zone(const cs_survey *s, cs_utm_zone *z, cs_err *err) {
  if (s->n_obs == 0) return cs_fail(err, CS_ERR_INPUT, "the store holds no positioned records");
  size_t step = s->n_obs / 4001 + 1, n = 0;
  double *lat = malloc(sizeof(double) * (s->n_obs / step + 1)), *lon = malloc(sizeof(double) * (s->n_obs / step + 1));
  if (!lat || !lon) { free(lat); free(lon); return cs_fail(err, CS_ERR_ENV, "out of memory"); }
  for (size_t i = 0; i < s->n_obs; i += step, n++) { lat[n] = s->obs[i].lat; lon[n] = s->obs[i].lon; }
  qsort(lat, n, sizeof *lat, cmp_double);
  qsort(lon, n, sizeof *lon, cmp_double);
  *z = cs_utm_zone_for(lat[n / 2], lon[n / 2]);
  free(lat);
  free(lon);
  return CS_OK;
}

cs_grid *cs_grid_alloc(size_t n_bins, int n_groups) {
  cs_grid *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  g->n_bins = n_bins;
  g->n_groups = n_groups;
  g->groups = calloc(n_groups ? n_groups : 1, sizeof *g->groups);
  g->ix = calloc(n_bins ? n_bins : 1, sizeof *g->ix);
  g->iy = calloc(n_bins ? n_bins : 1, sizeof *g->iy);
  size_t nv = n_bins * (size_t)n_groups;
  g->v = calloc(nv ? nv : 1, sizeof *g->v);
  if (!g->groups || !g->ix || !g->iy || !g->v) { cs_grid_destroy(g); return NULL; }
  for (size_t i = 0; i < n_bins * n_groups; i++) g->v[i].best_dbm = g->v[i].median_dbm = NAN;
  return g;
}

void cs_grid_destroy(cs_grid *g) {
  if (!g) return;
  free(g->groups);
  free(g->ix);
  free(g->iy);
  free(g->v);
  free(g);
}

typedef struct {
  int64_t key;   /* ix << 32 | (uint32)iy */
  int32_t group; /* -1: only marks the bin visited */
  float dbm;
  int32_t cell;
  int32_t pad;
} grid_entry;

static int cmp_entry(const void *a, const void *b) {
  const grid_entry *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  if (x->group != y->group) return x->group < y->group ? -1 : 1;
  int xn = isnan(x->dbm), yn = isnan(y->dbm);
  if (xn || yn) return xn - yn; /* levels first, strongest first */
  return (x->dbm < y->dbm) - (x->dbm > y->dbm);
}

static int group_of(cs_grid_group *groups, int *n, const cs_survey_cell *c) {
  for (int i = 0; i < *n; i++)
    if (groups[i].rat == c->rat && !strcmp(groups[i].plmn.mcc, c->plmn.mcc) && !strcmp(groups[i].plmn.mnc, c->plmn.mnc))
      return i;
  groups[*n].rat = c->rat;
  groups[*n].plmn = c->plmn;
  return (*n)++;
}

cs_status cs_grid_build(const cs_survey *s, const cs_grid_opts *o, cs_grid **out, cs_err *err) {
  *out = NULL;
  if (!(o->cell_size >= 25 && o->cell_size <= 1000))
    return cs_fail(err, CS_ERR_INPUT, "cell size %g m is outside 25..1000 m", o->cell_size);
  cs_utm_zone zone;
  cs_status st = cs_survey_zone(s, &zone, err);
  if (st) return st;

  /* operator+RAT groups in first-seen order, then sorted for a stable output */
  int n_groups = 0;
  cs_grid_group *groups = calloc(s->n_cells + 1, sizeof *groups);
  int *cell_group = malloc((s->n_cells + 1) * sizeof *cell_group);
  grid_entry *e = malloc((s->n_obs + 1) * sizeof *e);
  if (!groups || !cell_group || !e) { st = cs_fail(err, CS_ERR_ENV, "out of memory for %zu observations", s->n_obs); goto fail; }
  for (size_t i = 0; i < s->n_cells; i++) {
    const cs_survey_cell *c = &s->cells[i];
    char op[16];
    cs_survey_operator(c, op, sizeof op);
    cell_group[i] = -1;
    if (!c->plmn.mcc[0]) continue; /* operator never decoded: cannot be attributed */
    if (o->rat_filter != CS_RAT_NONE && c->rat != o->rat_filter) continue;
    if (o->operator_filter && strcmp(op, o->operator_filter)) continue;
    cell_group[i] = group_of(groups, &n_groups, c);
  }
  /* order groups by operator then RAT */
  int rank[4096];
  if (n_groups > 4096) { st = cs_fail(err, CS_ERR_INPUT, "too many operators (%d)", n_groups); goto fail; }
  for (int i = 0; i < n_groups; i++) {
    rank[i] = 0;
    for (int j = 0; j < n_groups; j++) {
      int c = strcmp(groups[j].plmn.mcc, groups[i].plmn.mcc);
      if (!c) c = strcmp(groups[j].plmn.mnc, groups[i].plmn.mnc);
      if (!c) c = (int)groups[j].rat - (int)groups[i].rat;
      if (c < 0) rank[i]++;
    }
  }
  for (size_t i = 0; i < s->n_cells; i++) if (cell_group[i] >= 0) cell_group[i] = rank[cell_group[i]];

  for (size_t i = 0; i < s->n_obs; i++) {
    const cs_survey_obs *ob = &s->obs[i];
    double x, y;
    cs_utm_forward(zone, ob->lat, ob->lon, &x, &y);
    int32_t ix = (int32_t)floor(x / o->cell_size), iy = (int32_t)floor(y / o->cell_size);
    e[i].key = (int64_t)ix * ((int64_t)1 << 32) + (int64_t)(uint32_t)iy;
    e[i].group = ob->cell >= 0 ? cell_group[ob->cell] : -1;
    e[i].dbm = ob->dbm;
    e[i].cell = ob->cell;
    e[i].pad = 0;
  }
  qsort(e, s->n_obs, sizeof *e, cmp_entry);
  size_t n_bins = 0;
  for (size_t i = 0; i < s->n_obs; i++) if (i == 0 || e[i].key != e[i - 1].key) n_bins++;

  cs_grid *g = cs_grid_alloc(n_bins, n_groups);
  if (!g) { st = cs_fail(err, CS_ERR_ENV, "out of memory for %zu bins", n_bins); goto fail; }
  g->cell_size = o->cell_size;
  g->zone = zone;
  for (int i = 0; i < n_groups; i++) g->groups[rank[i]] = groups[i];
  size_t b = (size_t)-1;
  for (size_t i = 0; i < s->n_obs;) {
    if (i == 0 || e[i].key != e[i - 1].key) {
      b++;
      g->ix[b] = (int32_t)(e[i].key >> 32);
      g->iy[b] = (int32_t)(uint32_t)(e[i].key & 0xffffffff);
    }
    size_t j = i;
    while (j < s->n_obs && e[j].key == e[i].key && e[j].group == e[i].group) j++;
    if (e[i].group >= 0) {
      cs_grid_value *v = &g->v[b * n_groups + e[i].group];
      size_t nf = 0;
      while (i + nf < j && !isnan(e[i + nf].dbm)) nf++;
      v->samples = (int)(j - i);
      if (nf) {
        v->best_dbm = e[i].dbm;
        v->median_dbm = nf % 2 ? e[i + nf / 2].dbm : 0.5f * (e[i + nf / 2 - 1].dbm + e[i + nf / 2].dbm);
      }
      cs_survey_cell_label(&s->cells[e[i].cell], v->best_cell, sizeof v->best_cell);
    }
    i = j;
  }
  for (size_t k = 0; k < n_bins * (size_t)n_groups; k++) {
    cs_grid_value *v = &g->v[k];
    v->cls = cs_grid_classify(&o->thr, g->groups[k % n_groups].rat, v->samples, v->best_dbm, v->median_dbm);
  }
  free(groups);
  free(cell_group);
  free(e);
  *out = g;
  return CS_OK;
fail:
  free(groups);
  free(cell_group);
  free(e);
  return st;
}

void cs_grid_corner(const cs_grid *g, size_t bin, int corner, double *lat, double *lon) {
  static const int dx[4] = {0, 1, 1, 0}, dy[4] = {0, 0, 1, 1};
  cs_utm_inverse(g->zone, (g->ix[bin] + dx[corner & 3]) * g->cell_size, (g->iy[bin] + dy[corner & 3]) * g->cell_size,
                 lat, lon);
}

void cs_grid_centre(const cs_grid *g, size_t bin, double *lat, double *lon) {
  cs_utm_inverse(g->zone, (g->ix[bin] + 0.5) * g->cell_size, (g->iy[bin] + 0.5) * g->cell_size, lat, lon);
}

void cs_grid_gaps(const cs_grid *g, int group, cs_gap_summary *out) {
  memset(out, 0, sizeof *out);
  out->visited = g->n_bins;
  for (size_t b = 0; b < g->n_bins; b++) {
    cs_cover_class c = g->v[b * g->n_groups + group].cls;
    if (c == CS_CLASS_STRONG) out->strong++;
    else if (c == CS_CLASS_VARIABLE) out->variable++;
    else out->none++;
  }
  out->covered_share = out->visited ? (double)(out->strong + out->variable) / out->visited : 0;
}
