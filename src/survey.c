/* survey.c: the in-memory drive test (survey.h): observations and interned cells. */
#include "survey.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cs_survey *cs_survey_create(void) { return calloc(1, sizeof(cs_survey)); }

void cs_survey_destroy(cs_survey *s) {
  if (!s) return;
  free(s->obs);
  free(s->cells);
  free(s->slots);
  free(s);
}

const char *cs_rat_name(cs_rat rat) { return rat == CS_RAT_GSM ? "gsm" : rat == CS_RAT_LTE ? "lte" : "none"; }

static int same_cell(const cs_survey_cell *a, const cs_survey_cell *b) {
  return a->rat == b->rat && !strcmp(a->plmn.mcc, b->plmn.mcc) && !strcmp(a->plmn.mnc, b->plmn.mnc) &&
         a->area == b->area && a->cid == b->cid && a->code == b->code && a->channel == b->channel;
}

static uint64_t cell_hash(const cs_survey_cell *c) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a over the identity fields */
  uint64_t v[6] = {(uint64_t)c->rat, (uint64_t)(int64_t)c->area, (uint64_t)c->cid, (uint64_t)(int64_t)c->code,
                   (uint64_t)(int64_t)c->channel, 0};
  memcpy(&v[5], c->plmn.mcc, 4);
  v[5] ^= (uint64_t)c->plmn.mnc[0] << 32 | (uint64_t)c->plmn.mnc[1] << 40 | (uint64_t)c->plmn.mnc[2] << 48;
  for (int i = 0; i < 6; i++) { h ^= v[i]; h *= 1099511628211ull; h ^= h >> 29; }
  return h;
}

static int grow_slots(cs_survey *s) {
  size_t n = s->n_slots ? s->n_slots * 2 : 1024;
  uint32_t *sl = calloc(n, sizeof *sl);
  if (!sl) return -1;
  for (size_t i = 0; i < s->n_cells; i++) {
    size_t k = cell_hash(&s->cells[i]) & (n - 1);
    while (sl[k]) k = (k + 1) & (n - 1);
    sl[k] = (uint32_t)i + 1;
  }
  free(s->slots);
  s->slots = sl;
  s->n_slots = n;
  return 0;
}

static int intern(cs_survey *s, const cs_survey_cell *c) {
  if ((s->n_cells + 1) * 2 > s->n_slots && grow_slots(s)) return -1;
  size_t k = cell_hash(c) & (s->n_slots - 1);
  while (s->slots[k]) {
    uint32_t i = s->slots[k] - 1;
    if (same_cell(&s->cells[i], c)) return (int)i;
    k = (k + 1) & (s->n_slots - 1);
  }
  if (s->n_cells == s->cap_cells) {
    size_t cap = s->cap_cells ? s->cap_cells * 2 : 64;
    cs_survey_cell *nc = realloc(s->cells, cap * sizeof *nc);
    if (!nc) return -1;
    s->cells = nc;
    s->cap_cells = cap;
  }
  s->cells[s->n_cells] = *c;
  s->slots[k] = (uint32_t)s->n_cells + 1;
  return (int)s->n_cells++;
}

static int cell_of(cs_survey *s, const cs_cell_record *r) {
  cs_survey_cell c;
  memset(&c, 0, sizeof c);
  c.rat = r->rat;
  c.plmn = r->plmn;
  if (r->rat == CS_RAT_GSM) { c.area = r->lac; c.cid = r->cell_id; c.code = r->bsic; c.channel = r->arfcn; }
  else { c.area = r->tac; c.cid = r->cell_identity; c.code = r->pci; c.channel = r->earfcn; }
  snprintf(c.band, sizeof c.band, "%s", r->band);
  return intern(s, &c);
}

cs_status cs_survey_add(cs_survey *s, const cs_cell_record *r, cs_err *err) {
  int is_cell = r->rat == CS_RAT_GSM || r->rat == CS_RAT_LTE;
  if (!r->has_fix || !isfinite(r->lat) || !isfinite(r->lon)) {
    if (!is_cell) return CS_OK;
    int i = cell_of(s, r); /* the cell exists, but there is no place to map it */
    if (i < 0) return cs_fail(err, CS_ERR_ENV, "out of memory for cells");
    s->cells[i].samples++;
    return CS_OK;
  }
  if (s->n_obs == s->cap_obs) {
    size_t cap = s->cap_obs ? s->cap_obs * 2 : 4096;
    cs_survey_obs *no = realloc(s->obs, cap * sizeof *no);
    if (!no) return cs_fail(err, CS_ERR_ENV, "out of memory for %zu observations", cap);
    s->obs = no;
    s->cap_obs = cap;
  }
  cs_survey_obs *o = &s->obs[s->n_obs];
  o->t = r->time_unix;
  o->lat = r->lat;
  o->lon = r->lon;
  o->alt = (float)r->alt;
  o->dbm = o->dbfs = o->rsrq_db = o->sinr_db = NAN;
  o->cell = -1;
  if (is_cell) {
    if (r->rat == CS_RAT_GSM) {
      o->dbm = (float)r->power_dbm;
      o->dbfs = (float)r->power_dbfs;
    } else {
      o->dbm = (float)r->rsrp_dbm;
      o->dbfs = (float)r->rsrp_dbfs;
      o->rsrq_db = (float)r->rsrq_db;
      o->sinr_db = (float)r->sinr_db;
    }
    int i = cell_of(s, r);
    if (i < 0) return cs_fail(err, CS_ERR_ENV, "out of memory for cells");
    s->cells[i].samples++;
    s->cells[i].positioned++;
    o->cell = i;
  }
  s->n_obs++;
  return CS_OK;
}

void cs_survey_operator(const cs_survey_cell *c, char *buf, size_t cap) {
  if (c->plmn.mcc[0] && c->plmn.mnc[0]) snprintf(buf, cap, "%s-%s", c->plmn.mcc, c->plmn.mnc);
  else snprintf(buf, cap, "unknown");
}

void cs_survey_cell_label(const cs_survey_cell *c, char *buf, size_t cap) {
  if (c->plmn.mcc[0] && c->area >= 0 && c->cid >= 0)
    snprintf(buf, cap, "%s-%s-%d-%lld", c->plmn.mcc, c->plmn.mnc, c->area, (long long)c->cid);
  else
    snprintf(buf, cap, "%s %d/%d", c->rat == CS_RAT_GSM ? "ARFCN" : "EARFCN", c->channel, c->code);
}
