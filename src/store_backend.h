/* store_backend.h: what a storage backend implements behind src/store.h (one struct of function
 * pointers per backend; src/store.c picks the backend from the target string). */
#ifndef CS_STORE_BACKEND_H
#define CS_STORE_BACKEND_H

#include "store.h"

struct cs_store_backend {
  const char *name;
  cs_status (*close)(void *self, cs_err *err);
  cs_status (*begin_session)(void *self, const char *kind, double started, const char *device,
                             const char *description, int64_t *session_id, cs_err *err);
  cs_status (*end_session)(void *self, double ended, cs_err *err);
  cs_status (*add_spectrum)(void *self, const cs_cell_record *where, const cs_channel *rows, int n,
                            cs_err *err);
  cs_status (*add_record)(void *self, const cs_cell_record *r, int64_t *measurement_id, cs_err *err);
  cs_status (*commit)(void *self, cs_err *err);
  cs_status (*each_measurement)(void *self, const cs_store_query *q,
                                int (*fn)(void *ctx, const cs_store_measurement *m), void *ctx,
                                cs_err *err);
  cs_status (*each_cell)(void *self, const cs_store_query *q,
                         int (*fn)(void *ctx, const cs_store_cell *c), void *ctx, cs_err *err);
  cs_status (*each_spectrum)(void *self, const cs_store_query *q,
                             int (*fn)(void *ctx, const cs_store_spectrum_row *r), void *ctx,
                             cs_err *err);
  cs_status (*each_track)(void *self, const cs_store_query *q,
                          int (*fn)(void *ctx, const cs_store_track_point *p), void *ctx,
                          cs_err *err);
  /* sessions in id order (push); may be NULL */
  cs_status (*each_session)(void *self, int (*fn)(void *ctx, const cs_store_session *s), void *ctx,
                            cs_err *err);
};

/* SQLite backend (src/store_sqlite.c). */
cs_status cs_store_sqlite_open(const char *path, void **self, cs_err *err);
extern const struct cs_store_backend cs_store_sqlite_backend;
/* The SQLite schema as migration steps: step i takes user_version i to i+1 (tests build old
 * databases with them). */
extern const char *const cs_store_sqlite_migrations[];
extern const int cs_store_sqlite_n_migrations;

/* Valid session kinds. */
int cs_store_kind_valid(const char *kind);

#endif
