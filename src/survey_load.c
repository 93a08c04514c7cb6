/* survey_load.c: a survey (survey.h) read from a store: every positioned measurement and track
 * point. */
#include "survey_load.h"

#include <math.h>

typedef struct {
  cs_survey *s;
  cs_err *err;
  cs_status st;
} load_ctx;

static int on_meas(void *ctx, const cs_store_measurement *m) {
  load_ctx *c = ctx;
  c->st = cs_survey_add(c->s, &m->rec, c->err);
  return c->st != CS_OK;
}

static int on_track(void *ctx, const cs_store_track_point *p) {
  load_ctx *c = ctx;
  cs_cell_record r;
  cs_store_track_record(p, &r);
  c->st = cs_survey_add(c->s, &r, c->err);
  return c->st != CS_OK;
}

cs_status cs_survey_load(cs_store *store, cs_rat rat, cs_survey **out, cs_err *err) {
  *out = NULL;
  cs_survey *s = cs_survey_create();
  if (!s) return cs_fail(err, CS_ERR_ENV, "out of memory");
  load_ctx c = {s, err, CS_OK};
  cs_store_query q;
  cs_store_query_init(&q);
  q.rat = rat;
  cs_status st = cs_store_each_measurement(store, &q, on_meas, &c, err); /* unpositioned ones count for cells */
  if (!st) st = c.st;
  q.with_fix_only = 1;
  if (!st) st = cs_store_each_track(store, &q, on_track, &c, err);
  if (!st) st = c.st;
  if (st) { cs_survey_destroy(s); return st; }
  *out = s;
  return CS_OK;
}
