/* store.c: the measurement store's front: picks the backend from the target (a file path ->
 * SQLite, postgresql:// -> PostgreSQL) and forwards every call (see store.h). */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store_backend.h"
#include "store_pg.h"

struct cs_store {
  const struct cs_store_backend *be;
  void *self;
};

int cs_store_schema_version(void) { return cs_store_sqlite_n_migrations; }

int cs_store_kind_valid(const char *kind) {
  static const char *const kinds[] = {"replay", "scan", "daemon", "import"};
  for (unsigned i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (kind && !strcmp(kind, kinds[i])) return 1;
  return 0;
}

cs_status cs_store_open(const char *target, cs_store **out, cs_err *err) {
  *out = NULL;
  if (!target || !target[0]) return cs_fail(err, CS_ERR_INPUT, "--db: empty database name");
  int pg = !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
  cs_store *s = calloc(1, sizeof *s);
  if (!s) return cs_fail(err, CS_ERR_ENV, "%s: out of memory", target);
  s->be = pg ? &cs_store_pg_backend : &cs_store_sqlite_backend;
  cs_status st = pg ? cs_store_pg_open(target, &s->self, err) : cs_store_sqlite_open(target, &s->self, err);
  if (st) { free(s); return st; }
  *out = s;
  return CS_OK;
}

void *cs_store_backend_self(cs_store *s, const char *backend) {
  return s && !strcmp(s->be->name, backend) ? s->self : NULL;
}

cs_status cs_store_close(cs_store *s, cs_err *err) {
  if (!s) return CS_OK;
  cs_status st = s->be->close(s->self, err);
  free(s);
  return st;
}

cs_status cs_store_begin_session(cs_store *s, const char *kind, double started, const char *device,
                                 const char *description, int64_t *session_id, cs_err *err) {
  if (!cs_store_kind_valid(kind))
    return cs_fail(err, CS_ERR_INPUT, "session kind '%s' is not replay, scan, daemon or import", kind ? kind : "");
  return s->be->begin_session(s->self, kind, started, device, description, session_id, err);
}

cs_status cs_store_end_session(cs_store *s, double ended, cs_err *err) {
  return s->be->end_session(s->self, ended, err);
}

cs_status cs_store_add_spectrum(cs_store *s, const cs_cell_record *where, const cs_channel *rows,
                                int n, cs_err *err) {
  return s->be->add_spectrum(s->self, where, rows, n, err);
}

cs_status cs_store_add_record(cs_store *s, const cs_cell_record *r, int64_t *id, cs_err *err) {
  return s->be->add_record(s->self, r, id, err);
}

cs_status cs_store_commit(cs_store *s, cs_err *err) { return s->be->commit(s->self, err); }

void cs_store_query_init(cs_store_query *q) {
  memset(q, 0, sizeof *q);
  q->t_from = q->t_to = NAN;
}

cs_status cs_store_each_measurement(cs_store *s, const cs_store_query *q,
                                    int (*fn)(void *, const cs_store_measurement *), void *ctx,
                                    cs_err *err) {
  return s->be->each_measurement(s->self, q, fn, ctx, err);
}

cs_status cs_store_each_cell(cs_store *s, const cs_store_query *q,
                             int (*fn)(void *, const cs_store_cell *), void *ctx, cs_err *err) {
  return s->be->each_cell(s->self, q, fn, ctx, err);
}

cs_status cs_store_each_spectrum(cs_store *s, const cs_store_query *q,
                                 int (*fn)(void *, const cs_store_spectrum_row *), void *ctx,
                                 cs_err *err) {
  return s->be->each_spectrum(s->self, q, fn, ctx, err);
}

cs_status cs_store_each_session(cs_store *s, int (*fn)(void *, const cs_store_session *), void *ctx,
                                cs_err *err) {
  if (!s->be->each_session) return cs_fail(err, CS_ERR_ENV, "the %s store cannot list sessions", s->be->name);
  return s->be->each_session(s->self, fn, ctx, err);
}

cs_status cs_store_each_track(cs_store *s, const cs_store_query *q,
                              int (*fn)(void *, const cs_store_track_point *), void *ctx,
                              cs_err *err) {
  return s->be->each_track(s->self, q, fn, ctx, err);
}

void cs_store_track_record(const cs_store_track_point *p, cs_cell_record *r) {
  cs_record_init(r);
  r->time_unix = p->time_unix;
  r->has_fix = 1;
  r->lat = p->lat;
  r->lon = p->lon;
  r->alt = p->alt;
  r->eph_m = p->eph_m;
  r->fix_mode = p->fix_mode;
}
