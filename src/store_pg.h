/* store_pg.h: the PostgreSQL + PostGIS backend of the store (fleet store; docs/storage.md,
 * docs/coverage.md). Same semantics as the SQLite schema, plus: a PostGIS Point (SRID 4326) on
 * every positioned row, and a unique content key on every row: sessions are unique on (kind,
 * start, device, description); a row's key is md5 of its session's key and its content (a
 * measurement's JSON; a track point's time and position; a spectrum row's time, position,
 * channel and levels), so that copying the same data twice adds nothing and concurrent writers are safe
 * (INSERT ... ON CONFLICT, one transaction per commit point; cells are created in autocommit on a
 * second connection so concurrent writers never wait on each other's cells). */
#ifndef CS_STORE_PG_H
#define CS_STORE_PG_H

#include "grid.h"
#include "store.h"

cs_status cs_store_pg_open(const char *uri, void **self, cs_err *err);
extern const struct cs_store_backend cs_store_pg_backend;

/* Add a measurement keeping its original JSON text (push); rec as from the source store. */
cs_status cs_store_pg_add_measurement_json(void *self, const cs_cell_record *rec, const char *json, cs_err *err);
/* Wait for the pipelined inserts sent so far; *inserted: rows really inserted since open (rows
 * already there do not count). */
cs_status cs_store_pg_flush(void *self, long *inserted, cs_err *err);

/* The connection holding the open transaction (store_pg_grid.c). */
struct pg_conn *cs_store_pg_conn(void *self);

/* The coverage grid computed in the database (store_pg_grid.c): same result as cs_grid_build()
 * on the same data. */
cs_status cs_store_pg_grid(void *self, const cs_grid_opts *o, cs_grid **out, cs_err *err);

#endif
