/* test_map_synth.c: the coverage grid and the site estimates against a synthetic drive test with
 * known sites and a planted hole (tests/map/synth.c), through the JSON Lines reader. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grid.h"
#include "sites.h"
#include "survey.h"
#include "synth.h"

static cs_survey *load(void) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  synth_write(f, 12345);
  fclose(f);
  cs_survey *s = cs_survey_create();
  int line = 0, bad = 0;
  for (char *p = buf, *nl; p && *p; p = nl ? nl + 1 : NULL) {
    nl = strchr(p, '\n');
    if (nl) *nl = 0;
    line++;
    cs_cell_record r;
    cs_err err;
    if (cs_record_from_json(p, &r, &err)) { bad++; fprintf(stderr, "line %d: %s\n", line, err.msg); continue; }
    CHECK(cs_survey_add(s, &r, &err) == CS_OK, "add: %s", err.msg);
  }
  CHECK_INT(bad, 0);
  free(buf);
  /* a cell heard only without a GPS fix: counted as a cell, never mapped */
  cs_cell_record r;
  cs_err err;
  CHECK(cs_record_from_json("{\"time\":\"2026-11-20T12:00:00.5+01:00\",\"lat\":3.0,\"lon\":31.8,\"rat\":\"lte\","
                            "\"mcc\":\"641\",\"mnc\":\"01\",\"tac\":1300,\"cell_identity\":77,\"pci\":9,"
                            "\"rsrp_dbm\":-99.5}", &r, &err) == CS_OK, "%s", err.msg);
  CHECK_NEAR(r.time_unix, 1795172400.5, 1e-6); /* 11:00:00.5Z */
  r.has_fix = 0;
  CHECK(cs_survey_add(s, &r, &err) == CS_OK, "%s", err.msg);
  return s;
}

static void to_local(double lat, double lon, cs_utm_zone z, double *x, double *y) {
  double e0, n0, e, n;
  cs_utm_forward(z, SYNTH_ORIGIN_LAT, SYNTH_ORIGIN_LON, &e0, &n0);
  cs_utm_forward(z, lat, lon, &e, &n);
  *x = e - e0;
  *y = n - n0;
}

static int find_group(const cs_grid *g, const char *mnc, cs_rat rat) {
  for (int k = 0; k < g->n_groups; k++)
    if (!strcmp(g->groups[k].plmn.mnc, mnc) && g->groups[k].rat == rat) return k;
  return -1;
}

int main(void) {
  cs_survey *s = load();
  printf("%zu observations, %zu cells\n", s->n_obs, s->n_cells);
  CHECK_INT(s->n_cells, synth_n_sites + 2);

  cs_grid_opts o = {0};
  o.cell_size = 100;
  cs_grid_thresholds_default(&o.thr);
  cs_grid *g = NULL;
  cs_err err;
  CHECK(cs_grid_build(s, &o, &g, &err) == CS_OK, "grid: %s", err.msg);
  if (!g) return check_done();
  CHECK_INT(g->n_groups, 3);
  CHECK_INT(g->zone.zone, 36);
  /* every bin has a sample (track points included), and only surveyed bins are present: the
   * drive covers 4 km x 3 km with 150 m passes, so ~40 x 30 bins at most */
  CHECK(g->n_bins > 600 && g->n_bins <= 41 * 31, "n_bins = %zu", g->n_bins);

  int ga = find_group(g, "01", CS_RAT_LTE);
  CHECK(ga >= 0, "operator 641-01 LTE present");
  /* the hole: bins whose square lies inside it */
  int hole = 0, hole_none = 0;
  for (size_t b = 0; b < g->n_bins && ga >= 0; b++) {
    double lat, lon, x, y;
    cs_grid_centre(g, b, &lat, &lon);
    to_local(lat, lon, g->zone, &x, &y);
    if (x - 50 >= SYNTH_HOLE_X0 && x + 50 <= SYNTH_HOLE_X1 && y - 50 >= SYNTH_HOLE_Y0 && y + 50 <= SYNTH_HOLE_Y1) {
      hole++;
      hole_none += g->v[b * g->n_groups + ga].cls == CS_CLASS_NONE;
    }
  }
  printf("hole: %d of %d bins none\n", hole_none, hole);
  CHECK(hole >= 10, "hole bins = %d", hole);
  CHECK(hole_none >= 0.9 * hole, "hole none %d / %d", hole_none, hole);

  /* near a serving site (within 400 m) of the operator+RAT: strong or variable */
  for (int k = 0; k < g->n_groups; k++) {
    int near = 0, served = 0;
    for (size_t b = 0; b < g->n_bins; b++) {
      double lat, lon, x, y;
      cs_grid_centre(g, b, &lat, &lon);
      to_local(lat, lon, g->zone, &x, &y);
      int is_near = 0;
      for (int i = 0; i < synth_n_sites; i++) {
        const synth_site *st = &synth_sites[i];
        if (strcmp(st->mnc, g->groups[k].plmn.mnc) || (st->lte ? CS_RAT_LTE : CS_RAT_GSM) != g->groups[k].rat) continue;
        if (hypot(x - st->x, y - st->y) < 400) is_near = 1;
      }
      if (!is_near) continue;
      near++;
      served += g->v[b * g->n_groups + k].cls != CS_CLASS_NONE;
    }
    printf("group %s-%s %s: %d of %d bins near a site served\n", g->groups[k].plmn.mcc, g->groups[k].plmn.mnc,
           cs_rat_name(g->groups[k].rat), served, near);
    CHECK(near >= 20, "near bins %d", near);
    CHECK(served >= 0.9 * near, "served %d / %d", served, near);
  }

  /* site estimates: median error <= 150 m over the cells with sites; the stray cell says why not */
  /* with a few hundred samples per cell: keep every k-th observation of each cell (<= 400) */
  cs_survey *thin = cs_survey_create();
  {
    int *seen = calloc(s->n_cells, sizeof *seen);
    for (size_t i = 0; i < s->n_obs; i++) {
      const cs_survey_obs *ob = &s->obs[i];
      if (ob->cell < 0) continue;
      int k = s->cells[ob->cell].samples / 400 + 1;
      if (seen[ob->cell]++ % k) continue;
      cs_cell_record r;
      cs_record_init(&r);
      const cs_survey_cell *c = &s->cells[ob->cell];
      r.has_fix = 1; r.lat = ob->lat; r.lon = ob->lon; r.time_unix = ob->t;
      r.rat = c->rat; r.plmn = c->plmn;
      if (c->rat == CS_RAT_GSM) { r.lac = c->area; r.cell_id = c->cid; r.bsic = c->code; r.arfcn = c->channel; r.power_dbm = ob->dbm; }
      else { r.tac = c->area; r.cell_identity = c->cid; r.pci = c->code; r.earfcn = c->channel; r.rsrp_dbm = ob->dbm; }
      cs_survey_add(thin, &r, &err);
    }
    free(seen);
    cs_cell_record r;
    cs_record_init(&r);
    r.rat = CS_RAT_LTE;
    snprintf(r.plmn.mcc, sizeof r.plmn.mcc, "641");
    snprintf(r.plmn.mnc, sizeof r.plmn.mnc, "01");
    r.tac = 1300; r.cell_identity = 77; r.pci = 9; r.rsrp_dbm = -99.5;
    cs_survey_add(thin, &r, &err);
  }
  cs_survey_destroy(s);
  s = thin;
  cs_site_estimate *est = NULL;
  CHECK(cs_sites_estimate(s, g->zone, &est, &err) == CS_OK, "sites: %s", err.msg);
  double errs[16];
  int n_err = 0;
  for (size_t c = 0; c < s->n_cells && est; c++) {
    const cs_survey_cell *cell = &s->cells[c];
    const synth_site *truth = NULL;
    for (int i = 0; i < synth_n_sites; i++)
      if (synth_sites[i].cid == cell->cid && !strcmp(synth_sites[i].mnc, cell->plmn.mnc)) truth = &synth_sites[i];
    if (!truth) {
      CHECK(!est[c].ok && strstr(est[c].reason, cell->cid == 77 ? "no record with a position" : "place"),
            "cell %lld: ok=%d reason=%s", (long long)cell->cid, est[c].ok, est[c].reason);
      continue;
    }
    CHECK(est[c].ok, "cell %lld: %s", (long long)cell->cid, est[c].reason);
    if (!est[c].ok) continue;
    double x, y;
    to_local(est[c].lat, est[c].lon, g->zone, &x, &y);
    double e = hypot(x - truth->x, y - truth->y);
    printf("cell %lld: %d samples, %d places, error %.0f m, radius %.0f m, n %.2f, rms %.1f dB\n",
           (long long)cell->cid, cell->samples, est[c].places, e, est[c].radius_m, est[c].exponent, est[c].rms_db);
    CHECK(cell->samples >= 200 && cell->samples <= 400, "samples %d: a few hundred", cell->samples);
    errs[n_err++] = e;
  }
  for (int i = 0; i < n_err; i++)
    for (int j = i + 1; j < n_err; j++)
      if (errs[j] < errs[i]) { double t = errs[i]; errs[i] = errs[j]; errs[j] = t; }
  CHECK_INT(n_err, synth_n_sites);
  if (n_err) {
    double med = n_err % 2 ? errs[n_err / 2] : 0.5 * (errs[n_err / 2 - 1] + errs[n_err / 2]);
    printf("median site error %.0f m\n", med);
    CHECK(med <= 150, "median site error %.0f m", med);
  }
  /* an uncalibrated kit (dBFS only, any offset) finds the same sites: the fit needs relative
   * levels only */
  cs_survey *raw = cs_survey_create();
  for (size_t i = 0; i < s->n_obs; i++) {
    const cs_survey_obs *ob = &s->obs[i];
    if (ob->cell < 0) continue;
    const cs_survey_cell *c = &s->cells[ob->cell];
    cs_cell_record r;
    cs_record_init(&r);
    r.has_fix = 1; r.lat = ob->lat; r.lon = ob->lon; r.time_unix = ob->t;
    r.rat = c->rat; r.plmn = c->plmn;
    if (c->rat == CS_RAT_GSM) { r.lac = c->area; r.cell_id = c->cid; r.bsic = c->code; r.arfcn = c->channel; r.power_dbfs = ob->dbm - 97.3; }
    else { r.tac = c->area; r.cell_identity = c->cid; r.pci = c->code; r.earfcn = c->channel; r.rsrp_dbfs = ob->dbm - 97.3; }
    cs_survey_add(raw, &r, &err);
  }
  cs_site_estimate *est_raw = NULL;
  CHECK(cs_sites_estimate(raw, g->zone, &est_raw, &err) == CS_OK, "sites (dBFS): %s", err.msg);
  int same = 0;
  for (size_t c = 0; c < raw->n_cells && est_raw; c++) {
    for (size_t c2 = 0; c2 < s->n_cells; c2++) {
      if (s->cells[c2].cid != raw->cells[c].cid || s->cells[c2].rat != raw->cells[c].rat || !est[c2].ok) continue;
      double x1, y1, x2, y2;
      CHECK(est_raw[c].ok, "uncalibrated cell %lld: %s", (long long)raw->cells[c].cid, est_raw[c].reason);
      if (!est_raw[c].ok) continue;
      to_local(est[c2].lat, est[c2].lon, g->zone, &x1, &y1);
      to_local(est_raw[c].lat, est_raw[c].lon, g->zone, &x2, &y2);
      CHECK(hypot(x1 - x2, y1 - y2) < 1.0, "dBFS and dBm estimates differ by %.1f m", hypot(x1 - x2, y1 - y2));
      CHECK_NEAR(est_raw[c].p0_dbm, est[c2].p0_dbm - 97.3, 0.01);
      same++;
    }
  }
  CHECK_INT(same, synth_n_sites);
  free(est_raw);
  cs_survey_destroy(raw);
  free(est);
  cs_grid_destroy(g);
  cs_survey_destroy(s);
  return check_done();
}
