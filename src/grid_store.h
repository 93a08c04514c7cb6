/* grid_store.h: the coverage grid of a store: in memory for SQLite stores, in the database for
 * PostgreSQL stores (store_pg_grid.c). Also the shared loader the map commands use. */
#ifndef CS_GRID_STORE_H
#define CS_GRID_STORE_H

#include "grid.h"
#include "store.h"
#include "survey.h"

cs_status cs_grid_from_store(const char *db, const cs_grid_opts *o, cs_grid **out, cs_err *err);

/* Open db, load its survey (all RATs), close. */
cs_status cs_survey_from_db(const char *db, cs_survey **out, cs_err *err);

/* Command-line helpers shared by the map commands (cmd_grid.c). */
int map_parse_rat(const char *s, cs_rat *rat);
int map_parse_operator(const char *s);

#endif
