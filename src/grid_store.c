/* grid_store.c: grid a store: PostgreSQL stores grid in the database, others in memory. */
#include "grid_store.h"

#include "store_pg.h"
#include "survey_load.h"

cs_status cs_survey_from_db(const char *db, cs_survey **out, cs_err *err) {
  cs_store *st;
  cs_status rc = cs_store_open(db, &st, err);
  if (rc) return rc;
  rc = cs_survey_load(st, CS_RAT_NONE, out, err);
  cs_err cerr;
  cs_store_close(st, &cerr);
  return rc;
}

cs_status cs_grid_from_store(const char *db, const cs_grid_opts *o, cs_grid **out, cs_err *err) {
  *out = NULL;
  cs_store *st;
  cs_status rc = cs_store_open(db, &st, err);
  if (rc) return rc;
  void *pg = cs_store_backend_self(st, "postgresql");
  if (pg) {
    rc = cs_store_pg_grid(pg, o, out, err);
  } else {
    cs_survey *s = NULL;
    rc = cs_survey_load(st, CS_RAT_NONE, &s, err);
    if (!rc) rc = cs_grid_build(s, o, out, err);
    cs_survey_destroy(s);
  }
  cs_err cerr;
  cs_store_close(st, &cerr);
  return rc;
}
