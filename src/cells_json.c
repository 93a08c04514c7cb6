/* cells_json.c: unique cells and site estimates as JSON (cells_json.h). */
#include "cells_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void add_int(cJSON *o, const char *k, int64_t v) {
  if (v >= 0) cJSON_AddNumberToObject(o, k, (double)v);
  else cJSON_AddNullToObject(o, k);
}

static void add_num(cJSON *o, const char *k, double v, double scale) {
  if (isfinite(v)) cJSON_AddNumberToObject(o, k, round(v * scale) / scale);
  else cJSON_AddNullToObject(o, k);
}

cJSON *cs_cell_json(const cs_survey_cell *c, const cs_site_estimate *e) {
  cJSON *o = cJSON_CreateObject();
  int gsm = c->rat == CS_RAT_GSM;
  cJSON_AddStringToObject(o, "rat", cs_rat_name(c->rat));
  if (c->plmn.mcc[0]) { cJSON_AddStringToObject(o, "mcc", c->plmn.mcc); cJSON_AddStringToObject(o, "mnc", c->plmn.mnc); }
  else { cJSON_AddNullToObject(o, "mcc"); cJSON_AddNullToObject(o, "mnc"); }
  add_int(o, gsm ? "lac" : "tac", c->area);
  add_int(o, gsm ? "cell_id" : "cell_identity", c->cid);
  add_int(o, gsm ? "bsic" : "pci", c->code);
  add_int(o, gsm ? "arfcn" : "earfcn", c->channel);
  if (c->band[0]) cJSON_AddStringToObject(o, "band", c->band);
  else cJSON_AddNullToObject(o, "band");
  if (!gsm) {
    add_int(o, "enb_id", c->cid >= 0 ? c->cid >> 8 : -1);
    add_int(o, "local_cell_id", c->cid >= 0 ? c->cid & 0xff : -1);
  }
  cJSON_AddNumberToObject(o, "samples", c->samples);
  cJSON_AddNumberToObject(o, "places", e->places);
  add_num(o, "est_lat", e->ok ? e->lat : NAN, 1e6);
  add_num(o, "est_lon", e->ok ? e->lon : NAN, 1e6);
  add_num(o, "est_radius_m", e->ok ? e->radius_m : NAN, 1);
  add_num(o, "path_loss_exponent", e->ok ? e->exponent : NAN, 100);
  add_num(o, "fit_rms_db", e->ok ? e->rms_db : NAN, 10);
  if (e->ok) cJSON_AddNullToObject(o, "reason");
  else cJSON_AddStringToObject(o, "reason", e->reason);
  return o;
}

static const cs_survey *sort_s;

static int cmp_cells(const void *a, const void *b) {
  const cs_survey_cell *x = &sort_s->cells[*(const int *)a], *y = &sort_s->cells[*(const int *)b];
  if (x->rat != y->rat) return (int)x->rat - (int)y->rat;
  int c = strcmp(x->plmn.mcc, y->plmn.mcc);
  if (!c) c = strcmp(x->plmn.mnc, y->plmn.mnc);
  if (c) return c;
  if (x->area != y->area) return x->area < y->area ? -1 : 1;
  if (x->cid != y->cid) return x->cid < y->cid ? -1 : 1;
  if (x->channel != y->channel) return x->channel < y->channel ? -1 : 1;
  return x->code - y->code;
}

int *cs_cells_sorted(const cs_survey *s) {
  int *idx = malloc((s->n_cells + 1) * sizeof *idx);
  if (!idx) return NULL;
  for (size_t i = 0; i < s->n_cells; i++) idx[i] = (int)i;
  sort_s = s;
  qsort(idx, s->n_cells, sizeof *idx, cmp_cells);
  return idx;
}
