/* store.h: the measurement store. One API, backends behind it: SQLite (src/store_sqlite.c, a
 * file path) and PostgreSQL (src/store_pg.c, a "postgresql://" or "postgres://" URI);
 * cs_store_open() picks the backend from the target string. Schema and durability: docs/storage.md.
 *
 * Writes go into an open transaction that cs_store_commit() makes durable (SQLite: WAL with
 * synchronous=FULL, so a committed measurement survives kill -9 and power loss). Writers call
 * cs_store_commit() at natural points (end of a capture segment, a scan dwell, every few seconds in
 * the daemon); cs_store_close() commits what is pending. A failed write or commit (disk full, I/O
 * error) returns CS_ERR_ENV with a message naming the database ("disk full" for SQLITE_FULL);
 * everything committed before stays. If the backend had to roll the open transaction back, the
 * message says how many records since the last commit were not stored.
 *
 * Not thread-safe: one cs_store per thread. */
#ifndef CS_STORE_H
#define CS_STORE_H

#include <stdint.h>

#include "cellsurvey/error.h"
#include "cellsurvey/record.h"
#include "raster.h"

typedef struct cs_store cs_store;

/* target: a file path (SQLite; created if absent, migrated to the current schema) or a
 * postgresql:// URI. CS_ERR_ENV when it cannot be opened or written (read-only directory,
 * permissions, server down), CS_ERR_INPUT when the file is not a cellsurvey database (corrupt,
 * another program's file, a schema newer than this build). */
cs_status cs_store_open(const char *target, cs_store **store, cs_err *err);
/* Commit what is pending and close. Always frees the store; returns the commit's status. */
cs_status cs_store_close(cs_store *store, cs_err *err);

/* Schema version this build writes (SQLite: PRAGMA user_version). */
int cs_store_schema_version(void);

/* ---- writing ---- */

/* Sessions: one survey run. kind: "replay", "scan", "daemon" or "import". started: Unix time
 * (NAN = now). device: device args, serial or "file". description: free text (capture paths,
 * operator notes). Every later add_* belongs to the current session. */
cs_status cs_store_begin_session(cs_store *s, const char *kind, double started, const char *device,
                                 const char *description, int64_t *session_id, cs_err *err);
/* Mark the current session finished at `ended` (NAN = now) and commit. */
cs_status cs_store_end_session(cs_store *s, double ended, cs_err *err);

/* Channel power rows of one spectrum (cs_raster_* output) measured at time/position `where`
 * (time_unix, has_fix, lat, lon, alt, device, source, calibrated are used). */
cs_status cs_store_add_spectrum(cs_store *s, const cs_cell_record *where, const cs_channel *rows,
                                int n, cs_err *err);

/* One cell observation: a measurements row (with the record's full JSON) and an upsert of its
 * cells row (first/last seen, count). A record with rat == CS_RAT_NONE is a track point (the kit
 * was here, no cell) and goes to the track table. *measurement_id may be NULL. */
cs_status cs_store_add_record(cs_store *s, const cs_cell_record *r, int64_t *measurement_id,
                              cs_err *err);

/* Make everything added so far durable. */
cs_status cs_store_commit(cs_store *s, cs_err *err);

/* ---- reading (grid, exports) ---- */

/* What to read; zero/NAN fields mean "no restriction". Use cs_store_query_init(). */
typedef struct {
  int64_t session_id;   /* 0: every session */
  cs_rat rat;           /* CS_RAT_NONE: both */
  double t_from, t_to;  /* Unix time bounds (inclusive), NAN: open */
  int with_fix_only;    /* 1: only rows with a position */
} cs_store_query;

void cs_store_query_init(cs_store_query *q);

typedef struct {
  int64_t id, session_id, cell_id;   /* cell_id: the cells row this observation belongs to */
  cs_cell_record rec;  /* rebuilt from the columns: time, position, device, source, calibrated,
                          rat, band, arfcn/earfcn, freq, identities (plmn, lac/tac, cell id,
                          bsic/pci, n_prb), power_dbfs/dbm, rxlev, snr, rsrp/rssi/rsrq/sinr, cfo */
  const char *json;    /* the record's full JSON Lines object as stored (valid during the call) */
} cs_store_measurement;

typedef struct {
  int64_t id;
  cs_rat rat;
  char band[16];
  int channel;               /* ARFCN or EARFCN (-1 unknown) */
  cs_plmn plmn;
  int area;                  /* LAC (GSM) or TAC (LTE), -1 unknown */
  int64_t cell;              /* GSM cell_id or LTE cell_identity, -1 unknown */
  int local_id;              /* BSIC (GSM) or PCI (LTE) */
  double first_seen, last_seen;
  int64_t count;             /* observations */
  double best_power_dbfs;    /* strongest power_dbfs (GSM) or rsrp_dbfs (LTE) seen */
  int best_has_fix;          /* where the strongest observation was made */
  double best_lat, best_lon;
} cs_store_cell;

typedef struct {
  int64_t id, session_id;
  double time_unix;
  int has_fix;
  double lat, lon, alt;
  cs_channel ch;
} cs_store_spectrum_row;

typedef struct {
  int64_t id, session_id;
  double time_unix;
  double lat, lon, alt, eph_m;
  int fix_mode;
} cs_store_track_point;

/* The track point as a record (rat CS_RAT_NONE: the kit was here), for readers that take records. */
void cs_store_track_record(const cs_store_track_point *p, cs_cell_record *r);

/* Call fn for every matching row, in time order (cells: by id). fn returns 0 to go on, non-zero
 * to stop (the iteration then returns CS_OK). */
cs_status cs_store_each_measurement(cs_store *s, const cs_store_query *q,
                                    int (*fn)(void *ctx, const cs_store_measurement *m), void *ctx,
                                    cs_err *err);
cs_status cs_store_each_cell(cs_store *s, const cs_store_query *q,
                             int (*fn)(void *ctx, const cs_store_cell *c), void *ctx, cs_err *err);
cs_status cs_store_each_spectrum(cs_store *s, const cs_store_query *q,
                                 int (*fn)(void *ctx, const cs_store_spectrum_row *r), void *ctx,
                                 cs_err *err);
cs_status cs_store_each_track(cs_store *s, const cs_store_query *q,
                              int (*fn)(void *ctx, const cs_store_track_point *p), void *ctx,
                              cs_err *err);

/* Sessions (id order), for copying a store (push). */
typedef struct {
  int64_t id;
  const char *kind;
  double started, ended;      /* ended NAN while open */
  const char *device, *description; /* may be NULL */
} cs_store_session;
cs_status cs_store_each_session(cs_store *s, int (*fn)(void *ctx, const cs_store_session *ss), void *ctx,
                                cs_err *err);

/* The backend's own handle when the store is of that backend ("sqlite", "postgresql"), else NULL
 * (lets a backend offer more, e.g. grid in the database). */
void *cs_store_backend_self(cs_store *s, const char *backend);

#endif
